from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import HubTask, Membership, Network, Partnership, PartnershipMember


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "role", "joined_on", "left_on")


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ("name", "tier", "teryt_code", "stage", "variant")
    list_filter = ("tier", "stage", "variant")
    search_fields = ("name", "teryt_code")
    autocomplete_fields = ("gmina", "voivodeship", "parent")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "network", "role", "joined_on", "left_on")
    list_filter = ("role", "network__tier")
    search_fields = ("organisation__name", "network__name")
    autocomplete_fields = ("organisation", "network")
    list_select_related = ("organisation", "network")


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ("name", "network", "agreement_status", "signed_on")
    list_filter = ("agreement_status",)
    search_fields = ("name",)
    autocomplete_fields = ("network", "leader")
    inlines = [PartnershipMemberInline]


@admin.register(HubTask)
class HubTaskAdmin(SimpleHistoryAdmin):
    list_display = ("network", "kind", "status")
    list_filter = ("kind", "status")

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactPerson, County, Gmina, Organisation, User, Voivodeship


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "voivodeship",
        "is_active",
    )
    list_filter = ("role", "is_active", "voivodeship")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("gminas", "voivodeship", "organisation")
    fieldsets = tuple(UserAdmin.fieldsets or ()) + (
        (
            _("Role and scope"),
            {"fields": ("role", "function", "gminas", "voivodeship", "organisation")},
        ),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("Role and scope"), {"fields": ("role", "gminas", "voivodeship")}),
    )


@admin.register(Voivodeship)
class VoivodeshipAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "voivodeship")
    list_filter = ("voivodeship",)
    search_fields = ("code", "name")


@admin.register(Gmina)
class GminaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "county")
    list_filter = ("kind", "county__voivodeship")
    search_fields = ("code", "name")
    list_select_related = ("county",)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "stakeholder_type",
        "institution_kind",
        "sector",
        "operating_scope",
        "gmina",
    )
    list_filter = ("stakeholder_type", "institution_kind", "sector", "operating_scope")
    search_fields = ("name", "short_name", "nip", "regon", "krs")
    autocomplete_fields = ("gmina",)
    list_select_related = ("gmina",)
    inlines = [ContactPersonInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "function", "organisation", "legal_basis")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("organisation",)

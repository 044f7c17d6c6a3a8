from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ActivityTemplateInline(admin.TabularInline):
    model = models.ActivityTemplate
    extra = 0


@admin.register(models.CardTemplate)
class CardTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("number", "version", "title", "audience", "is_current")
    list_filter = ("audience", "is_current")
    inlines = [ActivityTemplateInline]


class ActivityInline(admin.TabularInline):
    model = models.Activity
    extra = 0
    fields = ("position", "text", "status", "planned_date", "done_date")
    readonly_fields = ("status", "done_date")


@admin.register(models.Card)
class CardAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "network", "organisation", "status")
    list_filter = ("status", "number")
    search_fields = ("title", "network__name", "organisation__name")
    list_select_related = ("network", "organisation")
    inlines = [ActivityInline]


@admin.register(models.Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "card", "status", "planned_date", "done_date")
    list_filter = ("status",)
    list_select_related = ("card",)


for model in (
    models.Evidence,
    models.Need,
    models.NeedResponse,
    models.Meeting,
    models.MonitoringTerm,
    models.MonitoringReport,
    models.LibraryDocument,
):
    admin.site.register(model, SimpleHistoryAdmin)

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExperienceItem, Recommendation, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]  # the code is a key, not text for people


@admin.register(ExperienceItem)
class ExperienceItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "network", "kind", "status", "submitted_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["network", "merged_into", "findings", "deficiencies", "cards", "documents"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "addressee", "status", "adopted_at"]
    raw_id_fields = ["network", "items"]
    readonly_fields = ["lsrs"]  # derived from the items

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_lsrs()

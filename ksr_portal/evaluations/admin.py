from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class FindingInline(admin.TabularInline):
    model = models.Finding
    extra = 0


class DeficiencyInline(admin.TabularInline):
    model = models.Deficiency
    extra = 0


@admin.register(models.Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("title", "network", "period_start", "period_end", "method")
    inlines = [FindingInline, DeficiencyInline]

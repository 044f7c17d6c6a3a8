from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class QuestionInline(admin.StackedInline):
    model = models.Question
    extra = 0


@admin.register(models.Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    list_display = ("title", "network", "is_default")
    inlines = [QuestionInline]


@admin.register(models.Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("title", "network", "audience", "opens_at", "closes_at", "launched_at")
    list_filter = ("audience",)
    readonly_fields = ("schema", "launched_at", "public_token")


@admin.register(models.Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("id", "campaign", "channel", "submitted_on")
    list_filter = ("channel",)


class ParticipantInline(admin.TabularInline):
    model = models.Participant
    extra = 0


@admin.register(models.Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "network", "organisation", "held_on", "moderator")
    inlines = [ParticipantInline]


admin.site.register(models.InterviewGuide)
admin.site.register(models.Invitation)
admin.site.register(models.CodeCategory)

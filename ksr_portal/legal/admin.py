"""The administrator edits the legal texts in data administration (with their history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessibilityStatement, PrivacyNotice


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(SimpleHistoryAdmin):
    list_display = ("entity", "status", "updated_on", "reviewed_on")


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "updated_on")

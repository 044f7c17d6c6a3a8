"""Factories of the composition packages' models (summaries, document jobs, notifications,
invitations and profiles) and of the small technical tables of the apps."""

import factory
from django.utils import timezone

from ksr_portal.accounts.models import Invitation as AccountInvitation
from ksr_portal.accounts.models import Profile
from ksr_portal.core.notifications.models import Kind as NotificationKind
from ksr_portal.core.notifications.models import Notification, Preference
from ksr_portal.dashboards.models import LsrSummary, RegionSummary
from ksr_portal.legal.defaults import NOTICE, STATEMENT
from ksr_portal.legal.models import AccessibilityStatement, PrivacyNotice
from ksr_portal.printing.models import DocumentJob, DocumentKind
from networks.models import ImportReceipt
from stakeholders.roles import Role
from surveys import models as survey_models

from .apps import NetworkFactory, UserFactory


class ImportReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportReceipt

    network = factory.SubFactory(NetworkFactory)
    key_hash = factory.Sequence(lambda n: f"{n:064x}")


class RateLimitCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.RateLimitCounter

    key_hash = factory.Sequence(lambda n: f"{n:064x}")
    window_start = factory.LazyFunction(lambda: int(timezone.now().timestamp()))
    hits = 1


class LsrSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LsrSummary

    network = factory.SubFactory(NetworkFactory)
    computed_on = factory.LazyFunction(timezone.localdate)


class RegionSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionSummary
        django_get_or_create = ("code",)

    code = "06"
    computed_on = factory.LazyFunction(timezone.localdate)


class DocumentJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentJob

    user = factory.SubFactory(UserFactory, role=Role.ADMIN)
    kind = DocumentKind.AGREEMENT
    network = factory.SubFactory(NetworkFactory)
    filename = "porozumienie.pdf"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.NEED_ADDRESSED
    title = "Nowa potrzeba"


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)


class AccountInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation to the portal (not a survey invitation): an animator for a gmina."""

    class Meta:
        model = AccountInvitation
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Role.ANIMATOR
    invited_by = factory.SubFactory(UserFactory, role=Role.ADMIN)
    sent_at = factory.LazyFunction(timezone.now)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)


class AccessibilityStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessibilityStatement

    entity = STATEMENT["entity"]
    site_url = STATEMENT["site_url"]
    published_on = STATEMENT["published_on"]
    updated_on = STATEMENT["updated_on"]
    prepared_on = STATEMENT["prepared_on"]
    reviewed_on = STATEMENT["reviewed_on"]
    assessment = STATEMENT["assessment"]
    contact_person = STATEMENT["contact_person"]
    email = STATEMENT["email"]
    phone = STATEMENT["phone"]
    complaint_procedure = STATEMENT["complaint_procedure"]


class PrivacyNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyNotice

    controller = NOTICE["controller"]
    personal_data = NOTICE["personal_data"]
    purposes = NOTICE["purposes"]
    retention = NOTICE["retention"]
    rights = NOTICE["rights"]
    complaint = NOTICE["complaint"]
    updated_on = NOTICE["updated_on"]

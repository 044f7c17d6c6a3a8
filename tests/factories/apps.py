"""factory_boy factories: one per model, each making a valid row with the fewest choices.

They write rows directly (no services): a test that needs what a service does on the way (cards
opened when members join, a campaign's frozen schema) uses the builders in ``tests/builders.py``,
which go through the services and use these factories underneath.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from ksr_portal.evaluations.models import (
    Deficiency,
    Evaluation,
    EvaluationMethod,
    Finding,
    FindingKind,
)
from networks.models import (
    ContributionKind,
    HubTask,
    HubTaskKind,
    Membership,
    Network,
    Partnership,
    PartnershipMember,
    PotentialStakeholder,
    SupportEvent,
    SupportKind,
    SupportRequest,
    Tier,
    Variant,
)
from procedures.models import (
    Activity,
    ActivityTemplate,
    Audience,
    Card,
    CardTemplate,
    DocumentCategory,
    Evidence,
    EvidenceKind,
    LibraryDocument,
    Meeting,
    MonitoringReport,
    MonitoringTerm,
    Need,
    NeedEvent,
    NeedEventKind,
    NeedKind,
    NeedResponse,
    ResponseKind,
    SeminarParticipant,
)
from stakeholders.models import (
    ContactPerson,
    County,
    Gmina,
    GminaKind,
    InstitutionKind,
    LegalBasis,
    OperatingScope,
    Organisation,
    Sector,
    Voivodeship,
)
from stakeholders.roles import Role
from surveys import models as survey_models

PASSWORD = "secret-pass-123"


def _aware(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


# --- stakeholders ------------------------------------------------------------------------------


class VoivodeshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voivodeship
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 16 + 1) * 2:02d}")
    name = factory.LazyAttribute(lambda o: f"województwo {o.code}")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    voivodeship = factory.SubFactory(VoivodeshipFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.voivodeship.code}{n % 60 + 1:02d}")
    name = factory.LazyAttribute(lambda o: f"powiat {o.code}")


class GminaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gmina
        django_get_or_create = ("code",)

    county = factory.SubFactory(CountyFactory)
    kind = GminaKind.RURAL
    # gmina numbers 50–98: no county has that many, so a made-up code never meets a real one
    # (Żmudź 0603142 and the other codes the fixtures and the demo use)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.county.code}{n % 49 + 50:02d}{o.kind}")
    name = factory.Sequence(lambda n: f"Gmina {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Testowy{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.ANIMATOR
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def gminas(self, create, extracted, **kwargs):
        if create and extracted:
            self.gminas.set(extracted)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organizacja {n:04d}")
    stakeholder_type = "C"
    institution_kind = InstitutionKind.CULTURE
    sector = Sector.PUBLIC
    operating_scope = OperatingScope.LOCAL
    gmina = factory.SubFactory(GminaFactory)


class KisFactory(OrganisationFactory):
    """A social integration club: type A, the usual main node of an LSR."""

    stakeholder_type = "A"
    institution_kind = InstitutionKind.KIS


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Osoba Kontaktowa {n}")
    function = "koordynator"
    email = factory.Sequence(lambda n: f"osoba{n}@example.org")
    legal_basis = LegalBasis.PUBLIC_TASK


# --- networks ------------------------------------------------------------------------------------


class NetworkFactory(factory.django.DjangoModelFactory):
    """An LSR written directly (no RSR parent, no cards): ``lsr_with_cards`` goes through the
    service when the cards matter."""

    class Meta:
        model = Network

    tier = Tier.LSR
    gmina = factory.SubFactory(GminaFactory)
    teryt_code = factory.LazyAttribute(lambda o: o.gmina.code if o.gmina else "")
    name = factory.LazyAttribute(lambda o: f"LSR {o.gmina.name}" if o.gmina else "Sieć")
    variant = Variant.CIVIC
    initiators = "Liderzy lokalni"

    class Params:
        rsr = factory.Trait(
            tier=Tier.RSR,
            gmina=None,
            voivodeship=factory.SubFactory(VoivodeshipFactory),
            teryt_code=factory.SelfAttribute("voivodeship.code"),
            name=factory.LazyAttribute(lambda o: f"RSR {o.voivodeship.name}"),
            variant="",
        )
        ksr = factory.Trait(tier=Tier.KSR, gmina=None, teryt_code="", name="KSR", variant="")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, gmina=factory.SelfAttribute("..network.gmina")
    )


class HubTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubTask
        django_get_or_create = ("network", "kind")

    network = factory.SubFactory(NetworkFactory)
    kind = HubTaskKind.MANAGE


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Partnerstwo {n}")
    goal = "Wspólne działania reintegracyjne"
    leader = factory.SubFactory(OrganisationFactory, gmina=factory.SelfAttribute("..network.gmina"))


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, gmina=factory.SelfAttribute("..partnership.network.gmina")
    )
    role = "partner"
    contribution_kind = ContributionKind.PREMISES
    contribution = "sala na spotkania"


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """A request of an LSR that is a member of an RSR, waiting in the RSR's queue."""

    class Meta:
        model = SupportRequest

    lsr = factory.SubFactory(NetworkFactory, parent=factory.SubFactory(NetworkFactory, rsr=True))
    rsr = factory.SelfAttribute("lsr.parent")
    kind = SupportKind.CONSULTATION
    subject = factory.Sequence(lambda n: f"Konsultacja {n}")
    description = "Prosimy o konsultację umowy partnerskiej."


class SupportEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportEvent

    rsr = factory.SubFactory(NetworkFactory, rsr=True)
    kind = "training"
    title = factory.Sequence(lambda n: f"Szkolenie zespołów KIS {n}")
    held_on = datetime.date(2026, 10, 15)


class PotentialStakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PotentialStakeholder

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Kandydat {n}")
    stakeholder_type = "C"
    institution_kind = "culture"
    sector = "public"


# --- procedures ----------------------------------------------------------------------------------


class CardTemplateFactory(factory.django.DjangoModelFactory):
    """A template of its own number and version; the 13 real ones are seeded once per session."""

    class Meta:
        model = CardTemplate

    number = 1
    version = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Procedura {n}")
    institution = "KIS"
    audience = Audience.MAIN_NODE
    is_current = False


class ActivityTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityTemplate

    card_template = factory.SubFactory(CardTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Czynność {n}")


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    network = factory.SubFactory(NetworkFactory)
    template = factory.SubFactory(CardTemplateFactory)
    number = factory.SelfAttribute("template.number")
    title = factory.SelfAttribute("template.title")
    organisation = factory.SubFactory(
        OrganisationFactory, gmina=factory.SelfAttribute("..network.gmina")
    )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    card = factory.SubFactory(CardFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Czynność {n}")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    activity = factory.SubFactory(ActivityFactory)
    kind = EvidenceKind.LETTER
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n", name="pismo.pdf"))
    original_name = "pismo.pdf"
    size = 9
    uploaded_by = factory.SubFactory(UserFactory)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    posted_by = factory.SubFactory(
        OrganisationFactory, gmina=factory.SelfAttribute("..network.gmina")
    )
    kind = NeedKind.PREMISES
    description = "Sala na warsztaty"
    needed_when = "marzec–czerwiec"

    @factory.post_generation
    def addressees(self, create, extracted, **kwargs):
        if create and extracted:
            self.addressees.set(extracted)


class NeedResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedResponse

    need = factory.SubFactory(NeedFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, gmina=factory.SelfAttribute("..need.network.gmina")
    )
    kind = ResponseKind.OFFER
    text = "Udostępnimy salę"
    responded_by = factory.SubFactory(UserFactory, role=Role.PARTNER)


class NeedEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedEvent

    need = factory.SubFactory(NeedFactory)
    kind = NeedEventKind.POSTED
    organisation = factory.SelfAttribute("need.posted_by")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    held_at = factory.LazyFunction(lambda: _aware(2027, 3, 1, 10, 0))
    place = "Urząd Gminy"
    agenda = "Sprawy bieżące"


class SeminarParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeminarParticipant

    meeting = factory.SubFactory(MeetingFactory, kind="seminar")
    name = factory.Sequence(lambda n: f"Mieszkanka {n}")
    role = "resident"


class MonitoringTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringTerm

    network = factory.SubFactory(NetworkFactory)
    due_date = datetime.date(2027, 6, 30)
    scope = "Liczba uczestników zajęć"


class MonitoringReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringReport

    term = factory.SubFactory(MonitoringTermFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, gmina=factory.SelfAttribute("..term.network.gmina")
    )
    information = "12 uczestników"
    submitted_by = factory.SubFactory(UserFactory, role=Role.PARTNER)


class LibraryDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryDocument

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Dokument {n}")
    category = DocumentCategory.OTHER
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n", name="dokument.pdf"))
    original_name = "dokument.pdf"
    size = 9
    uploaded_by = factory.SubFactory(UserFactory)


# --- surveys -------------------------------------------------------------------------------------


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Questionnaire

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Ankieta {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = survey_models.QuestionKind.YES_NO
    text = factory.Sequence(lambda n: f"Pytanie {n}?")


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign not yet launched, open from an hour ago for a week; ``launched_campaign`` in
    the builders freezes it through the service."""

    class Meta:
        model = survey_models.Campaign

    network = factory.SubFactory(NetworkFactory)
    questionnaire = factory.SubFactory(
        QuestionnaireFactory, network=factory.SelfAttribute("..network")
    )
    title = "Badanie instytucji"
    audience = survey_models.Audience.INSTITUTIONS
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=7, hours=1))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Invitation

    campaign = factory.SubFactory(CampaignFactory)
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Response

    campaign = factory.SubFactory(CampaignFactory)
    data = factory.LazyFunction(lambda: {"asked": [], "answers": {}})


class SubmissionReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.SubmissionReceipt

    campaign = factory.SubFactory(CampaignFactory)
    key_hash = factory.Sequence(lambda n: f"{n:064x}")


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Draft

    campaign = factory.SubFactory(CampaignFactory)
    key_hash = factory.Sequence(lambda n: f"d{n:063x}")
    data = factory.LazyFunction(lambda: {"answers": {"q1": "yes"}})


class CodeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.CodeCategory

    campaign = factory.SubFactory(CampaignFactory)
    field = "q11"
    name = factory.Sequence(lambda n: f"Kategoria {n}")


class CodingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Coding

    response = factory.SubFactory(ResponseFactory)
    category = factory.SubFactory(
        CodeCategoryFactory, campaign=factory.SelfAttribute("..response.campaign")
    )
    field = factory.SelfAttribute("category.field")
    item = 0


class InterviewGuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.InterviewGuide

    network = None
    kind = survey_models.InterviewKind.IDI
    title = "Scenariusz"
    parts = factory.LazyFunction(
        lambda: [{"part": "Wstęp", "minutes": 10, "questions": ["Czy zna Pan(i) Partnerstwo?"]}]
    )


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Interview

    network = factory.SubFactory(NetworkFactory)
    guide = factory.SubFactory(InterviewGuideFactory)
    kind = factory.SelfAttribute("guide.kind")
    moderator = "Zespół Badawczy LSR"
    held_on = datetime.date(2017, 10, 10)
    duration_minutes = 50
    consent_recorded = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = survey_models.Participant

    interview = factory.SubFactory(InterviewFactory)
    name = factory.Sequence(lambda n: f"Rozmówca {n}")
    gender = survey_models.Gender.FEMALE
    age_band = survey_models.AgeBand.B41_60
    position = "mieszkanka"
    role = survey_models.ParticipantRole.RESIDENT


# --- evaluations ---------------------------------------------------------------------------------


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Ewaluacja {n}")
    period_start = datetime.date(2017, 1, 1)
    period_end = datetime.date(2017, 12, 31)
    method = EvaluationMethod.OWN
    evaluators = "Zespół ewaluacyjny LSR"


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    evaluation = factory.SubFactory(EvaluationFactory)
    kind = FindingKind.BARRIER
    text = factory.Sequence(lambda n: f"Ustalenie {n}")


class DeficiencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deficiency

    evaluation = factory.SubFactory(EvaluationFactory)
    text = factory.Sequence(lambda n: f"Brak {n}")
    obliged = factory.SubFactory(
        OrganisationFactory, gmina=factory.SelfAttribute("..evaluation.network.gmina")
    )
    deadline = datetime.date(2018, 6, 30)

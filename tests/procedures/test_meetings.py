"""LSR meetings (posiedzenia) and local monitoring (card 4): rules, views, scoping, queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Membership
from networks.services import networks as network_services
from procedures.models import Meeting, MonitoringReport, MonitoringTerm
from procedures.services import meetings as services
from stakeholders.models import ContactPerson, LegalBasis, Organisation
from stakeholders.roles import Role
from tests.builders import make_lsr, make_org
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def org(network, name):
    return Organisation.objects.get(memberships__network=network, name=name)


def person(organisation, name):
    return ContactPerson.objects.create(
        organisation=organisation,
        name=name,
        function="dyrektor",
        legal_basis=LegalBasis.PUBLIC_TASK,
    )


def when(days=0, hour=10):
    return timezone.make_aware(datetime.datetime(2026, 3, 10, hour) + datetime.timedelta(days))


@pytest.fixture
def cast(full_lsr, personas, territory):
    """The LSR of Żmudź: KIS, GOPS, culture centre, a firm; a partner of the culture centre and
    one of the firm; an organisation of the same gmina outside the LSR with its own partner;
    a contact person in each; the LSR of Warszawa for cross-LSR checks."""
    culture = org(full_lsr, "Gminne Centrum Kultury")
    firm = org(full_lsr, "Firma Lokalna")
    outsider = make_org(territory["zmudz"], "C", name="Biblioteka spoza LSR")
    other_lsr = make_lsr(personas["admin"], territory["warsaw"])
    return {
        "lsr": full_lsr,
        "culture": culture,
        "firm": firm,
        "outsider": outsider,
        "culture_person": person(culture, "Anna Kulturalna"),
        "firm_person": person(firm, "Bogdan Firmowy"),
        "kis_person": person(org(full_lsr, "KIS w Żmudzi"), "Celina Klubowa"),
        "outsider_person": person(outsider, "Damian Obcy"),
        "member": UserFactory(username="member1", role=Role.PARTNER, organisation=culture),
        "firm_user": UserFactory(username="firm1", role=Role.PARTNER, organisation=firm),
        "non_member": UserFactory(username="outsider1", role=Role.PARTNER, organisation=outsider),
        "other_lsr": other_lsr,
        "animator": personas["animator"],
    }


def meeting_of(cast, **fields):
    return services.meeting_save(
        user=cast["animator"],
        network=cast["lsr"],
        meeting=Meeting(held_at=fields.pop("held_at", when()), agenda="1. Otwarcie", **fields),
        attendees=[cast["culture_person"]],
    )


def term_of(cast, days=0):
    return services.monitoring_term_create(
        user=cast["animator"],
        network=cast["lsr"],
        due_date=datetime.date(2026, 3, 1) + datetime.timedelta(days),
        scope="Liczba uczestników zajęć KIS",
    )


# --- meetings: rules --------------------------------------------------------------------------


def test_animator_records_a_meeting_with_members_representatives(cast):
    meeting = services.meeting_save(
        user=cast["animator"],
        network=cast["lsr"],
        meeting=Meeting(held_at=when(), place="Urząd Gminy", agenda="1. Otwarcie"),
        attendees=[cast["culture_person"], cast["kis_person"]],
    )
    assert set(meeting.attendees.all()) == {cast["culture_person"], cast["kis_person"]}
    assert meeting.network == cast["lsr"]


def test_attendance_outside_active_members_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.meeting_save(
            user=cast["animator"],
            network=cast["lsr"],
            meeting=Meeting(held_at=when(), agenda="1. Otwarcie"),
            attendees=[cast["culture_person"], cast["outsider_person"]],
        )
    assert "attendees" in exc.value.error_dict
    assert "Damian Obcy" in exc.value.messages[0]
    assert not Meeting.objects.exists()


def test_attendee_whose_organisation_left_stays_on_an_edited_meeting(cast):
    meeting = services.meeting_save(
        user=cast["animator"],
        network=cast["lsr"],
        meeting=Meeting(held_at=when(), agenda="1. Otwarcie"),
        attendees=[cast["firm_person"]],
    )
    membership = Membership.objects.get(network=cast["lsr"], organisation=cast["firm"])
    network_services.membership_end(membership=membership, left_on=timezone.localdate())
    meeting.minutes = "Protokół"
    services.meeting_save(
        user=cast["animator"], network=cast["lsr"], meeting=meeting, attendees=[cast["firm_person"]]
    )
    assert list(meeting.attendees.all()) == [cast["firm_person"]]
    # ... but the former member cannot be added to a new meeting
    with pytest.raises(ValidationError):
        services.meeting_save(
            user=cast["animator"],
            network=cast["lsr"],
            meeting=Meeting(held_at=when(1), agenda="2."),
            attendees=[cast["firm_person"]],
        )


@pytest.mark.parametrize("who", ["rops", "ksr", "member", "other_animator"])
def test_only_the_animator_records_meetings(cast, personas, who):
    user = cast.get(who) or personas[who]
    with pytest.raises(PermissionDenied):
        services.meeting_save(
            user=user,
            network=cast["lsr"],
            meeting=Meeting(held_at=when(), agenda="1."),
            attendees=[],
        )


def test_meeting_create_view_and_tampered_attendee(client, cast):
    client.force_login(cast["animator"])
    url = reverse("procedures:meeting_create", args=[cast["lsr"].pk])
    page = client.get(url).content.decode()
    assert "Anna Kulturalna" in page and "Damian Obcy" not in page
    data = {"held_at": "2026-03-10T10:00", "place": "Sala", "agenda": "1. Otwarcie"}
    response = client.post(url, {**data, "attendees": [cast["outsider_person"].pk]})
    assert response.status_code == 200
    assert "attendees" in response.context["form"].errors
    assert not Meeting.objects.exists()
    response = client.post(url, {**data, "attendees": [cast["culture_person"].pk]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "procedures:meeting_detail", args=[cast["lsr"].pk, meeting.pk]
    )
    assert list(meeting.attendees.all()) == [cast["culture_person"]]
    assert timezone.localtime(meeting.held_at).hour == 10


def test_meeting_edit_view_saves_minutes_and_decisions(client, cast):
    meeting = meeting_of(cast)
    client.force_login(cast["animator"])
    url = reverse("procedures:meeting_edit", args=[cast["lsr"].pk, meeting.pk])
    response = client.post(
        url,
        {
            "held_at": "2026-03-10T10:00",
            "agenda": "1. Otwarcie",
            "minutes": "Przebieg posiedzenia",
            "decisions": "Przyjęto plan\nWybrano lidera",
            "attendees": [cast["culture_person"].pk, cast["kis_person"].pk],
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Przebieg posiedzenia"
    assert meeting.attendees.count() == 2
    page = client.get(reverse("procedures:meeting_detail", args=[cast["lsr"].pk, meeting.pk]))
    body = page.content.decode()
    assert "<li>Przyjęto plan</li>" in body and "<li>Wybrano lidera</li>" in body


def test_meeting_of_another_lsr_is_404(client, cast, personas):
    other = Meeting.objects.create(network=cast["other_lsr"], held_at=when(), agenda="x")
    client.force_login(personas["admin"])
    url = reverse("procedures:meeting_detail", args=[cast["lsr"].pk, other.pk])
    assert client.get(url).status_code == 404


# --- monitoring: rules ------------------------------------------------------------------------


def test_partner_supplies_its_own_information_once_per_term(cast):
    term = term_of(cast)
    report = services.monitoring_report_submit(
        user=cast["member"], term=term, organisation=cast["culture"], information="12 osób"
    )
    assert report.submitted_by == cast["member"]
    with pytest.raises(ValidationError) as exc:
        services.monitoring_report_submit(
            user=cast["member"], term=term, organisation=cast["culture"], information="again"
        )
    assert "organisation" in exc.value.error_dict
    # the animator cannot add a second one either
    with pytest.raises(ValidationError):
        services.monitoring_report_submit(
            user=cast["animator"], term=term, organisation=cast["culture"], information="x"
        )
    services.monitoring_report_update(user=cast["member"], report=report, information="14 osób")
    assert MonitoringReport.objects.get().information == "14 osób"


def test_partner_cannot_report_or_edit_for_another_organisation(cast):
    term = term_of(cast)
    with pytest.raises(PermissionDenied):
        services.monitoring_report_submit(
            user=cast["member"], term=term, organisation=cast["firm"], information="x"
        )
    report = services.monitoring_report_submit(
        user=cast["firm_user"], term=term, organisation=cast["firm"], information="3 staże"
    )
    with pytest.raises(PermissionDenied):
        services.monitoring_report_update(user=cast["member"], report=report, information="x")


def test_animator_reports_for_any_member_but_not_for_outsiders(cast, personas):
    term = term_of(cast)
    services.monitoring_report_submit(
        user=cast["animator"], term=term, organisation=cast["firm"], information="3 staże"
    )
    with pytest.raises(ValidationError) as exc:
        services.monitoring_report_submit(
            user=cast["animator"], term=term, organisation=cast["outsider"], information="x"
        )
    assert "organisation" in exc.value.error_dict
    for who in ("rops", "ksr"):
        with pytest.raises(PermissionDenied):
            services.monitoring_report_submit(
                user=personas[who], term=term, organisation=cast["culture"], information="x"
            )
    with pytest.raises(PermissionDenied):  # a partner whose organisation is not a member
        services.monitoring_report_submit(
            user=cast["non_member"], term=term, organisation=cast["outsider"], information="x"
        )


def test_only_the_animator_sets_terms_and_presentations(cast, personas):
    term = term_of(cast)
    meeting = meeting_of(cast)
    for user in (personas["rops"], personas["ksr"], cast["member"]):
        with pytest.raises(PermissionDenied):
            services.monitoring_term_create(
                user=user, network=cast["lsr"], due_date=datetime.date(2026, 1, 1), scope="x"
            )
        with pytest.raises(PermissionDenied):
            services.monitoring_term_present(user=user, term=term, meeting=meeting)
    with pytest.raises(ValidationError):
        services.monitoring_term_create(
            user=cast["animator"],
            network=cast["lsr"],
            due_date=datetime.date(2026, 1, 1),
            scope=" ",
        )


def test_term_cannot_be_presented_at_another_lsrs_meeting(cast):
    term = term_of(cast)
    other = Meeting.objects.create(network=cast["other_lsr"], held_at=when(), agenda="x")
    with pytest.raises(ValidationError) as exc:
        services.monitoring_term_present(user=cast["animator"], term=term, meeting=other)
    assert "meeting" in exc.value.error_dict


def test_presenting_a_term_shows_on_the_meeting_page(client, cast):
    term = term_of(cast)
    meeting = meeting_of(cast, place="Świetlica")
    other = Meeting.objects.create(network=cast["other_lsr"], held_at=when(), agenda="x")
    client.force_login(cast["animator"])
    url = reverse("procedures:monitoring_present", args=[cast["lsr"].pk, term.pk])
    response = client.post(url, {"meeting": other.pk})  # tampered: another LSR's meeting
    assert response.status_code == 200 and "meeting" in response.context["form"].errors
    response = client.post(url, {"meeting": meeting.pk})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.presented_at == meeting
    client.force_login(cast["member"])
    page = client.get(reverse("procedures:meeting_detail", args=[cast["lsr"].pk, meeting.pk]))
    assert "Liczba uczestników zajęć KIS" in page.content.decode()
    assert list(page.context["presented_terms"]) == [term]
    # unlinking
    client.force_login(cast["animator"])
    client.post(url, {"meeting": ""})
    term.refresh_from_db()
    assert term.presented_at is None


def test_partner_report_view_creates_then_edits_its_own(client, cast):
    term = term_of(cast)
    client.force_login(cast["member"])
    url = reverse("procedures:monitoring_report", args=[cast["lsr"].pk, term.pk])
    page = client.get(url)
    assert "organisation" not in page.context["form"].fields
    # an organisation field smuggled in is ignored: a partner reports for its own organisation
    response = client.post(url, {"information": "12 osób", "organisation": cast["firm"].pk})
    assert response.status_code == 302
    response = client.post(url, {"information": "14 osób"})
    assert response.status_code == 302
    report = MonitoringReport.objects.get()
    assert (report.organisation, report.information) == (cast["culture"], "14 osób")
    monitoring = client.get(reverse("procedures:monitoring", args=[cast["lsr"].pk]))
    assert monitoring.context["terms"][0].own_report == report


def test_animator_report_view_for_a_member(client, cast):
    term = term_of(cast)
    services.monitoring_report_submit(
        user=cast["firm_user"], term=term, organisation=cast["firm"], information="3 staże"
    )
    client.force_login(cast["animator"])
    url = reverse("procedures:monitoring_report", args=[cast["lsr"].pk, term.pk])
    choices = client.get(url).context["form"].fields["organisation"].queryset
    assert cast["firm"] not in choices and cast["culture"] in choices
    response = client.post(url, {"organisation": cast["firm"].pk, "information": "dup"})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    response = client.post(url, {"organisation": cast["outsider"].pk, "information": "x"})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    response = client.post(url, {"organisation": cast["culture"].pk, "information": "12 osób"})
    assert response.status_code == 302
    # editing a member's information through ?organisation=
    edit = f"{url}?organisation={cast['firm'].pk}"
    assert client.get(edit).context["report"].organisation == cast["firm"]
    client.post(edit, {"information": "4 staże"})
    assert MonitoringReport.objects.get(organisation=cast["firm"]).information == "4 staże"
    assert MonitoringReport.objects.count() == 2
    assert client.get(f"{url}?organisation={cast['outsider'].pk}").status_code == 404
    assert client.get(f"{url}?organisation=abc").status_code == 404


def test_term_create_view(client, cast):
    client.force_login(cast["animator"])
    url = reverse("procedures:monitoring_term_create", args=[cast["lsr"].pk])
    response = client.post(url, {"due_date": "2026-06-30", "scope": "Liczba staży"})
    assert response.status_code == 302
    assert MonitoringTerm.objects.get().network == cast["lsr"]


# --- scoping ----------------------------------------------------------------------------------


@pytest.fixture
def pages(cast):
    pk = cast["lsr"].pk
    meeting = meeting_of(cast)
    term = term_of(cast)
    return {
        "read": [
            reverse("procedures:meeting_list", args=[pk]),
            reverse("procedures:meeting_detail", args=[pk, meeting.pk]),
            reverse("procedures:monitoring", args=[pk]),
        ],
        "manage": [
            reverse("procedures:meeting_create", args=[pk]),
            reverse("procedures:meeting_edit", args=[pk, meeting.pk]),
            reverse("procedures:monitoring_term_create", args=[pk]),
            reverse("procedures:monitoring_present", args=[pk, term.pk]),
        ],
        "member": [reverse("procedures:monitoring_report", args=[pk, term.pk])],
    }


EXPECTED = {
    # persona: (read, manage, member pages)
    "animator": (200, 200, 200),
    "admin": (200, 200, 200),
    "rops": (200, 403, 403),
    "ksr": (200, 403, 403),
    "member": (200, 403, 200),
    "other_animator": (404, 404, 404),
    "other_rops": (404, 404, 404),
    "partner": (404, 404, 404),  # a partner without an organisation
    "non_member": (404, 404, 404),
}


def test_scoping_matrix(client, cast, personas, pages):
    for name, (read, manage, member) in EXPECTED.items():
        client.force_login(cast.get(name) or personas[name])
        for kind, want in (("read", read), ("manage", manage), ("member", member)):
            for url in pages[kind]:
                got = client.get(url).status_code
                assert got == want, (name, url, got)
        for url in pages["manage"] + pages["member"]:
            got = client.post(url, {}).status_code
            want = 200 if manage == 200 or (url in pages["member"] and member == 200) else manage
            assert got == want, (name, "POST", url, got)


def test_former_member_partner_is_404(client, cast, pages):
    membership = Membership.objects.get(network=cast["lsr"], organisation=cast["culture"])
    network_services.membership_end(membership=membership, left_on=timezone.localdate())
    client.force_login(cast["member"])
    for url in pages["read"] + pages["member"]:
        assert client.get(url).status_code == 404, url


def test_anonymous_goes_to_login(client, pages):
    for url in pages["read"] + pages["manage"] + pages["member"]:
        assert client.get(url).status_code == 302


def test_pages_have_one_h1_and_no_inline_style_or_script(client, cast, pages):
    client.force_login(cast["animator"])
    for url in pages["read"] + pages["manage"] + pages["member"]:
        body = client.get(url).content.decode()
        assert body.count("<h1") == 1, url
        assert " style=" not in body and "<script>" not in body, url


# --- query counts -----------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(cast, start, stop):
    for i in range(start, stop):
        meeting = meeting_of(cast, held_at=when(i))
        term = term_of(cast, i)
        services.monitoring_term_present(user=cast["animator"], term=term, meeting=meeting)
        services.monitoring_report_submit(
            user=cast["animator"], term=term, organisation=cast["culture"], information=f"{i}"
        )
        services.monitoring_report_submit(
            user=cast["animator"], term=term, organisation=cast["firm"], information=f"{i}"
        )


@pytest.mark.parametrize("page", ["meeting_list", "monitoring"])
@pytest.mark.parametrize("who", ["animator", "member"])
def test_list_pages_have_a_constant_number_of_queries(client, cast, page, who):
    client.force_login(cast[who])
    url = reverse(f"procedures:{page}", args=[cast["lsr"].pk])
    _fill(cast, 0, 3)
    few = _queries(client, url)
    _fill(cast, 3, 20)
    many = _queries(client, url)
    assert few == many

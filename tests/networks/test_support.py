"""Support to LSRs: an LSR asks its RSR, the ROPS coordinator works the regional queue; trainings
for KIS teams; the per-LSR figure."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ksr_portal.core.notifications.models import Kind, Notification
from networks.models import SupportEvent, SupportStatus
from networks.selectors_support import support_per_lsr
from networks.services import support as services
from tests import factories
from tests.builders import make_lsr, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def rsr(lsr):
    return lsr.parent


def _submit(user, lsr, **fields):
    data = {"kind": "training", "subject": "Szkolenie KIS", "description": "Jak prowadzić hub."}
    data.update(fields)
    return services.support_request_submit(user=user, lsr=lsr, **data)


# --- services and rules ---------------------------------------------------------------------------


def test_the_animator_asks_the_lsrs_rsr_and_the_rops_coordinator_is_told(personas, lsr):
    request = _submit(personas["animator"], lsr)
    assert request.rsr == lsr.parent
    assert request.status == SupportStatus.SUBMITTED
    assert request.requested_by == personas["animator"]
    told = Notification.objects.filter(kind=Kind.QUEUE_ITEM).values_list("recipient", flat=True)
    assert list(told) == [personas["rops"].pk]  # not the ROPS coordinator of another region


@pytest.mark.parametrize("persona", ["rops", "ksr", "partner", "other_animator"])
def test_only_the_animator_of_the_gmina_asks(personas, lsr, persona):
    with pytest.raises(PermissionDenied):
        _submit(personas[persona], lsr)


def test_a_request_needs_subject_and_description(personas, lsr):
    with pytest.raises(ValidationError) as exc:
        _submit(personas["animator"], lsr, subject="  ", description="")
    assert {"subject", "description"} <= set(exc.value.error_dict)


def test_submitted_accepted_done_with_who_when_and_outcome(personas, lsr):
    request = _submit(personas["animator"], lsr)
    rops = personas["rops"]
    request = services.support_request_accept(user=rops, request=request)
    assert request.status == SupportStatus.ACCEPTED and request.handled_by == rops
    day = timezone.localdate() - datetime.timedelta(days=2)
    request = services.support_request_done(
        user=rops, request=request, helpers="Zespół ROWR", given_on=day, outcome="Umowa gotowa."
    )
    request.refresh_from_db()
    assert (request.status, request.given_on, request.helpers) == ("done", day, "Zespół ROWR")
    assert request.history.count() == 3  # every step in the history
    animator_told = Notification.objects.filter(recipient=personas["animator"])
    assert animator_told.count() == 2  # accepted, done


def test_done_needs_an_outcome_and_a_date_not_in_the_future(personas, lsr):
    rops = personas["rops"]
    request = services.support_request_accept(user=rops, request=_submit(personas["animator"], lsr))
    with pytest.raises(ValidationError) as exc:
        services.support_request_done(
            user=rops,
            request=request,
            helpers="",
            given_on=timezone.localdate() + datetime.timedelta(days=1),
            outcome=" ",
        )
    assert set(exc.value.error_dict) == {"outcome", "given_on"}
    request.refresh_from_db()
    assert request.status == SupportStatus.ACCEPTED


def test_decline_needs_a_reason(personas, lsr):
    request = _submit(personas["animator"], lsr)
    with pytest.raises(ValidationError) as exc:
        services.support_request_decline(user=personas["rops"], request=request, reason="  ")
    assert "decline_reason" in exc.value.error_dict
    request = services.support_request_decline(
        user=personas["rops"], request=request, reason="Poza zakresem ROWR."
    )
    assert request.status == SupportStatus.DECLINED


@pytest.mark.parametrize(
    "path",
    [
        ("done",),  # a submitted request is accepted before it is done
        ("accept", "accept"),
        ("decline", "accept"),
        ("accept", "done", "decline"),
    ],
)
def test_transitions_follow_the_workflow(personas, lsr, path):
    rops = personas["rops"]
    request = _submit(personas["animator"], lsr)
    steps = {
        "accept": lambda r: services.support_request_accept(user=rops, request=r),
        "decline": lambda r: services.support_request_decline(user=rops, request=r, reason="x"),
        "done": lambda r: services.support_request_done(
            user=rops, request=r, helpers="", given_on=timezone.localdate(), outcome="ok"
        ),
    }
    *allowed, refused = path
    for step in allowed:
        request = steps[step](request)
    with pytest.raises(ValidationError):
        steps[refused](request)


@pytest.mark.parametrize("persona", ["other_rops", "animator", "ksr"])
def test_only_the_rops_coordinator_of_the_region_works_the_queue(personas, lsr, persona):
    request = _submit(personas["animator"], lsr)
    with pytest.raises(PermissionDenied):
        services.support_request_accept(user=personas[persona], request=request)


def test_training_participants_come_from_the_regions_lsrs(personas, lsr, kis, territory, rsr):
    from networks.services.networks import membership_add

    membership_add(network=lsr, organisation=kis)
    inside = factories.ContactPersonFactory(organisation=kis)
    outsider = factories.ContactPersonFactory(organisation=make_org(territory["warsaw"]))
    request = _submit(personas["animator"], lsr)
    with pytest.raises(ValidationError) as exc:
        services.support_event_save(
            user=personas["rops"],
            rsr=rsr,
            event=SupportEvent(kind="training", title="Szkolenie", held_on=datetime.date.today()),
            participants=[inside, outsider],
        )
    assert "participants" in exc.value.error_dict
    event = services.support_event_save(
        user=personas["rops"],
        rsr=rsr,
        event=SupportEvent(kind="training", title="Szkolenie", held_on=datetime.date.today()),
        participants=[inside],
        requests=[request],
    )
    assert list(event.participants.all()) == [inside]
    assert list(request.events.all()) == [event]


def test_support_per_lsr_counts_requested_and_given(personas, lsr, territory, rsr):
    other = make_lsr(personas["admin"], territory["rejowiec"])
    rops = personas["rops"]
    done = services.support_request_accept(user=rops, request=_submit(personas["animator"], lsr))
    services.support_request_done(
        user=rops, request=done, helpers="", given_on=timezone.localdate(), outcome="ok"
    )
    _submit(personas["animator"], lsr)
    rows = {n.pk: n for n in support_per_lsr(rsr=rsr)}
    assert (rows[lsr.pk].support_requested, rows[lsr.pk].support_given) == (2, 1)
    assert rows[lsr.pk].support_open == 1
    assert (rows[other.pk].support_requested, rows[other.pk].support_given) == (0, 0)


# --- pages ------------------------------------------------------------------------------------------


def test_the_rops_coordinator_answers_through_the_pages(personas, lsr, rsr, login):
    client = login(personas["animator"])
    response = client.post(
        reverse("networks:support_create", args=[lsr.pk]),
        {"kind": "mediation", "subject": "Mediacja z GOPS", "description": "Spór o salę."},
    )
    request = lsr.support_requests.get()
    assert response.status_code == 302
    client = login(personas["rops"])
    queue = client.get(reverse("networks:support_queue", args=[rsr.pk]))
    assert "Mediacja z GOPS" in queue.content.decode()
    client.post(reverse("networks:support_accept", args=[rsr.pk, request.pk]))
    # a bad date and no outcome: the page answers with the messages, nothing typed is lost
    response = client.post(
        reverse("networks:support_complete", args=[rsr.pk, request.pk]),
        {"helpers": "Mediatorka ROPS", "given_on": "31.02.2026", "outcome": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'value="Mediatorka ROPS"' in body
    assert "is-invalid" in body
    client.post(
        reverse("networks:support_complete", args=[rsr.pk, request.pk]),
        {
            "helpers": "Mediatorka ROPS",
            "given_on": timezone.localdate().isoformat(),
            "outcome": "Zgoda.",
        },
    )
    request.refresh_from_db()
    assert request.status == "done"
    page = login(personas["animator"]).get(
        reverse("networks:support_detail", args=[lsr.pk, request.pk])
    )
    assert "Zgoda." in page.content.decode()


def test_decline_without_a_reason_shows_the_message_next_to_the_field(personas, lsr, rsr, login):
    request = _submit(personas["animator"], lsr)
    response = login(personas["rops"]).post(
        reverse("networks:support_decline", args=[rsr.pk, request.pk]), {"decline_reason": ""}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "submitted"


def test_the_queue_is_404_outside_the_region_and_403_without_the_capability(
    personas, lsr, rsr, territory, login
):
    url = reverse("networks:support_queue", args=[rsr.pk])
    assert login(personas["other_rops"]).get(url).status_code == 404
    assert login(personas["ksr"]).get(url).status_code == 403
    # an LSR is not an RSR: its id answers 404 on the queue
    assert (
        login(personas["rops"]).get(reverse("networks:support_queue", args=[lsr.pk])).status_code
        == 404
    )
    request = _submit(personas["animator"], lsr)
    other_rsr = factories.NetworkFactory(rsr=True, voivodeship=territory["mazowieckie"])
    assert (
        login(personas["rops"])
        .get(reverse("networks:support_work", args=[other_rsr.pk, request.pk]))
        .status_code
        == 404
    )


def test_the_queue_filters_and_pages_in_constant_queries(
    personas, lsr, rsr, territory, login, django_assert_max_num_queries
):
    other = make_lsr(personas["admin"], territory["rejowiec"])
    client = login(personas["rops"])
    url = reverse("networks:support_queue", args=[rsr.pk])

    def add(n):
        for i in range(n):
            factories.SupportRequestFactory(lsr=lsr if i % 2 else other, rsr=rsr, kind="expert")

    add(3)
    client.get(url)  # warm the session and the scope
    with django_assert_max_num_queries(14) as small:
        assert client.get(url, {"kind": "expert"}).status_code == 200
    add(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"kind": "expert", "page": "2"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 43 - 25
    only = client.get(url, {"lsr": str(lsr.pk), "status": "submitted"})
    assert {r.lsr_id for r in only.context["page"]} == {lsr.pk}


def test_the_lsrs_requests_and_the_trainings_list_in_constant_queries(
    personas, lsr, rsr, login, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            request = factories.SupportRequestFactory(lsr=lsr, rsr=rsr)
            event = factories.SupportEventFactory(rsr=rsr)
            event.requests.add(request)

    pages = [
        (personas["animator"], reverse("networks:support_list", args=[lsr.pk])),
        (personas["rops"], reverse("networks:event_list", args=[rsr.pk])),
    ]
    add(2)
    counts = []
    for user, url in pages:
        client = login(user)
        client.get(url)
        with django_assert_max_num_queries(14) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small.captured_queries))
    add(15)
    for (user, url), count in zip(pages, counts, strict=True):
        client = login(user)
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("persona", "shown"), [("rops", True), ("ksr", False), ("animator", False)]
)
def test_the_rsrs_tools_link_the_queue_by_the_capability_rule(
    personas, lsr, rsr, login, persona, shown
):
    queue = reverse("networks:support_queue", args=[rsr.pk])
    response = login(personas[persona]).get(reverse("networks:detail", args=[rsr.pk]))
    assert response.status_code == 200
    assert (f'href="{queue}"' in response.content.decode()) is shown


def test_the_training_form_lists_every_contact_in_constant_queries(
    personas, lsr, rsr, login, django_assert_max_num_queries
):
    client = login(personas["rops"])
    url = reverse("networks:event_create", args=[rsr.pk])

    def add(n):
        for _ in range(n):
            member = factories.MembershipFactory(network=lsr)
            factories.ContactPersonFactory(organisation=member.organisation)
            factories.SupportRequestFactory(lsr=lsr, rsr=rsr)

    add(2)
    client.get(url)  # warm the session and the scope
    with django_assert_max_num_queries(10) as small:
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('name="participants"') >= 22

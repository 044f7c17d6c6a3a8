"""Needs of the KIS/OPS (cards 9, 10) and the partners' answers (card 13)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Membership
from networks.services import networks as network_services
from procedures.models import Need, NeedKind, NeedResponse, ResponseKind
from procedures.selectors import needs as selectors_needs
from procedures.services.needs import (
    NeedStatus,
    need_accept_offer,
    need_close,
    need_post,
    need_respond,
    need_status,
    status_from_counts,
)
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def post_need(cast, *, addressees=(), to_all=False, posted_by=None, **fields):
    return need_post(
        network=cast["lsr"],
        posted_by=posted_by or cast["kis"],
        need=Need(
            kind=fields.get("kind", NeedKind.PREMISES),
            description=fields.get("description", "Sala na zajęcia teatralne"),
            needed_when=fields.get("needed_when", "marzec–czerwiec, wtorki"),
            for_classes=fields.get("for_classes", "warsztaty teatralne KIS"),
        ),
        addressees=addressees,
        addressed_to_all=to_all,
    )


def respond(cast, need, who, kind=ResponseKind.OFFER, text="Sala widowiskowa we wtorki"):
    return need_respond(
        need=need, organisation=cast[who], kind=kind, text=text, user=cast.get(f"{who}_user")
    )


def errors(exc):
    return exc.value.message_dict if hasattr(exc.value, "error_dict") else exc.value.messages


# --- services ---------------------------------------------------------------------------------


class TestNeedPost:
    def test_to_chosen_partners(self, cast):
        need = post_need(cast, addressees=[cast["culture"], cast["firm"]])
        assert set(need.addressees.all()) == {cast["culture"], cast["firm"]}
        assert need.network == cast["lsr"] and need.posted_by == cast["kis"]
        assert not need.addressed_to_all

    def test_to_all_members_except_the_poster(self, cast):
        need = post_need(cast, to_all=True)
        assert set(need.addressees.all()) == {cast["culture"], cast["firm"], cast["ops"]}
        assert need.addressed_to_all

    def test_a_type_b_member_may_post(self, cast):
        need = post_need(cast, posted_by=cast["ops"], to_all=True)
        assert cast["kis"] in need.addressees.all() and cast["ops"] not in need.addressees.all()

    def test_a_type_c_member_may_not_post(self, cast):
        with pytest.raises(ValidationError) as exc:
            post_need(cast, posted_by=cast["culture"], addressees=[cast["firm"]])
        assert "posted_by" in errors(exc)
        assert not Need.objects.exists()

    def test_a_left_main_node_may_not_post(self, cast):
        Membership.objects.filter(organisation=cast["kis"]).update(
            joined_on="2019-01-01", left_on="2020-01-01"
        )
        with pytest.raises(ValidationError) as exc:
            post_need(cast, addressees=[cast["firm"]])
        assert "posted_by" in errors(exc)

    def test_addressees_must_be_active_members(self, cast):
        with pytest.raises(ValidationError) as exc:
            post_need(cast, addressees=[cast["culture"], cast["outsider"]])
        assert "addressees" in errors(exc)
        assert not Need.objects.exists()

    def test_a_member_that_left_is_no_addressee(self, cast):
        network_services.membership_end(
            membership=Membership.objects.get(organisation=cast["firm"]),
            left_on=Membership.objects.get(organisation=cast["firm"]).joined_on,
        )
        with pytest.raises(ValidationError):
            post_need(cast, addressees=[cast["firm"]])
        need = post_need(cast, to_all=True)
        assert cast["firm"] not in need.addressees.all()

    def test_not_to_the_poster_itself(self, cast):
        with pytest.raises(ValidationError) as exc:
            post_need(cast, addressees=[cast["kis"], cast["firm"]])
        assert "addressees" in errors(exc)

    def test_at_least_one_addressee(self, cast):
        with pytest.raises(ValidationError) as exc:
            post_need(cast, addressees=[])
        assert "addressees" in errors(exc)

    def test_all_members_of_an_lsr_without_other_members(self, personas, territory):
        lsr = make_lsr(personas["admin"], territory["rejowiec"])
        kis = make_org(territory["rejowiec"], "A", InstitutionKind.KIS, Sector.NGO)
        network_services.membership_add(network=lsr, organisation=kis, role="main")
        with pytest.raises(ValidationError) as exc:
            need_post(
                network=lsr,
                posted_by=kis,
                need=Need(kind=NeedKind.KNOWLEDGE, description="x", needed_when="maj"),
                addressees=[],
                addressed_to_all=True,
            )
        assert "addressees" in errors(exc)

    def test_the_need_is_validated(self, cast):
        with pytest.raises(ValidationError) as exc:
            post_need(cast, addressees=[cast["firm"]], description="", needed_when="")
        assert {"description", "needed_when"} <= set(errors(exc))
        assert not Need.objects.exists()


class TestNeedRespond:
    def test_offer(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        answer = respond(cast, need, "culture")
        assert answer.kind == ResponseKind.OFFER and answer.responded_by == cast["culture_user"]

    def test_decline_needs_a_reason(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        with pytest.raises(ValidationError) as exc:
            respond(cast, need, "culture", ResponseKind.DECLINE, "   ")
        assert "reason" in errors(exc)["text"][0]
        assert not NeedResponse.objects.exists()

    def test_offer_needs_a_description(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        with pytest.raises(ValidationError) as exc:
            respond(cast, need, "culture", ResponseKind.OFFER, "")
        assert "text" in errors(exc)

    def test_unknown_kind(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        with pytest.raises(ValidationError) as exc:
            respond(cast, need, "culture", "maybe")
        assert "kind" in errors(exc)

    def test_only_an_addressee_answers(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        with pytest.raises(ValidationError, match="not addressed"):
            respond(cast, need, "firm")
        with pytest.raises(ValidationError, match="not addressed"):
            need_respond(need=need, organisation=None, kind="offer", text="x", user=None)

    def test_one_answer_per_partner(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        respond(cast, need, "culture", ResponseKind.DECLINE, "Sala w remoncie")
        with pytest.raises(ValidationError, match="already answered"):
            respond(cast, need, "culture")
        assert NeedResponse.objects.get().kind == ResponseKind.DECLINE

    def test_a_closed_need_takes_no_answers(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        need_close(need=need, outcome="not_met", outcome_text="Nikt nie pomógł")
        with pytest.raises(ValidationError, match="closed"):
            respond(cast, need, "culture")

    def test_close_twice(self, cast):
        need = post_need(cast, addressees=[cast["culture"]])
        need_close(need=need, outcome="not_met", outcome_text="Nikt nie pomógł")
        assert need.closed_at is not None
        with pytest.raises(ValidationError, match="already closed"):
            need_close(need=need, outcome="not_met", outcome_text="Nikt nie pomógł")


class TestStatus:
    @pytest.mark.parametrize(
        ("closed", "offers", "declines", "addressees", "expected"),
        [
            (False, 0, 0, 3, NeedStatus.OPEN),
            (False, 0, 2, 3, NeedStatus.OPEN),
            (False, 1, 0, 3, NeedStatus.MATCHED),
            (False, 1, 2, 3, NeedStatus.MATCHED),
            (False, 0, 3, 3, NeedStatus.DECLINED),
            (True, 1, 0, 3, NeedStatus.CLOSED),
            (True, 0, 0, 3, NeedStatus.CLOSED),
            (False, 0, 0, 0, NeedStatus.OPEN),
        ],
    )
    def test_rule(self, closed, offers, declines, addressees, expected):
        assert (
            status_from_counts(
                closed=closed, offers=offers, declines=declines, addressees=addressees
            )
            == expected
        )

    def test_python_and_sql_agree(self, cast, personas):
        fresh = post_need(cast, addressees=[cast["culture"], cast["firm"]])
        half = post_need(cast, addressees=[cast["culture"], cast["firm"]])
        respond(cast, half, "culture", ResponseKind.DECLINE, "Brak sali")
        matched = post_need(cast, addressees=[cast["culture"], cast["firm"]])
        respond(cast, matched, "culture", ResponseKind.DECLINE, "Brak sali")
        respond(cast, matched, "firm")
        declined = post_need(cast, addressees=[cast["culture"], cast["firm"]])
        respond(cast, declined, "culture", ResponseKind.DECLINE, "Brak sali")
        respond(cast, declined, "firm", ResponseKind.DECLINE, "Brak ludzi")
        closed = post_need(cast, addressees=[cast["culture"]])
        need_close(need=closed, outcome="not_met", outcome_text="Nikt nie pomógł")
        met = post_need(cast, addressees=[cast["culture"]])
        need_accept_offer(
            need=met, response=respond(cast, met, "culture"), user=personas["animator"]
        )
        expected = {
            met.pk: NeedStatus.MET,
            fresh.pk: NeedStatus.OPEN,
            half.pk: NeedStatus.OPEN,
            matched.pk: NeedStatus.MATCHED,
            declined.pk: NeedStatus.DECLINED,
            closed.pk: NeedStatus.CLOSED,
        }
        for need in Need.objects.all():
            assert need_status(need) == expected[need.pk]
        annotated = selectors_needs.with_status(Need.objects.all())
        assert {n.pk: n.status for n in annotated} == expected
        assert {n.pk: need_status(n) for n in annotated} == expected
        counts = selectors_needs.status_counts(annotated)
        assert counts == {
            "all": 6,
            "open": 2,
            "matched": 1,
            "declined": 1,
            "closed": 1,
            "met": 1,
        }

    def test_needs_for_organisation(self, cast):
        first = post_need(cast, addressees=[cast["culture"], cast["firm"]])
        second = post_need(cast, addressees=[cast["culture"]])
        post_need(cast, addressees=[cast["firm"]])
        closed = post_need(cast, addressees=[cast["culture"]])
        need_close(need=closed, outcome="not_met", outcome_text="Nikt nie pomógł")
        respond(cast, first, "culture", ResponseKind.DECLINE, "Brak sali")
        needs = selectors_needs.needs_for_organisation(organisation=cast["culture"])
        assert {n.pk for n in needs} == {first.pk, second.pk, closed.pk}
        assert {n.pk: n.own_answer for n in needs}[first.pk] == ResponseKind.DECLINE
        awaiting = selectors_needs.needs_for_organisation(
            organisation=cast["culture"].pk, awaiting_answer=True
        )
        assert [n.pk for n in awaiting] == [second.pk]
        by_status = selectors_needs.needs_for_organisation(
            organisation=cast["culture"], network=cast["lsr"], status=NeedStatus.CLOSED
        )
        assert [n.pk for n in by_status] == [closed.pk]


# --- views: scoping ---------------------------------------------------------------------------


@pytest.fixture
def need(cast):
    return post_need(cast, addressees=[cast["culture"]])


def urls(lsr, need):
    return {
        "list": reverse("procedures:need_list", args=[lsr.pk]),
        "create": reverse("procedures:need_create", args=[lsr.pk]),
        "detail": reverse("procedures:need_detail", args=[lsr.pk, need.pk]),
        "respond": reverse("procedures:need_respond", args=[lsr.pk, need.pk]),
        "close": reverse("procedures:need_close", args=[lsr.pk, need.pk]),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # list, create (GET), detail, respond (GET), close (GET)
        ("animator", (200, 200, 200, 403, 200)),
        ("admin", (200, 200, 200, 403, 200)),
        ("other_animator", (404, 404, 404, 404, 404)),
        ("rops", (200, 403, 200, 403, 403)),
        ("other_rops", (404, 404, 404, 404, 404)),
        ("ksr", (200, 403, 200, 403, 403)),
        ("culture_user", (200, 403, 200, 200, 403)),
        ("firm_user", (200, 403, 404, 404, 403)),
    ],
)
def test_scoping_matrix(client, cast, personas, need, who, expected):
    user = cast.get(who) or personas[who]
    client.force_login(user)
    u = urls(cast["lsr"], need)
    got = (
        client.get(u["list"]).status_code,
        client.get(u["create"]).status_code,
        client.get(u["detail"]).status_code,
        client.get(u["respond"]).status_code,
        client.get(u["close"]).status_code,
    )
    assert got == expected


def test_read_only_roles_cannot_write(client, cast, personas, need):
    u = urls(cast["lsr"], need)
    client.force_login(personas["rops"])
    assert (
        client.post(
            u["create"], {"posted_by": cast["kis"].pk, "addressed_to_all": "on"}
        ).status_code
        == 403
    )
    assert client.post(u["respond"], {"kind": "offer", "text": "x"}).status_code == 403
    assert not NeedResponse.objects.exists() and Need.objects.get().closed_at is None


def test_out_of_scope_lsr_is_404(client, cast, personas, territory):
    other = make_lsr(personas["admin"], territory["warsaw"])
    client.force_login(personas["animator"])
    assert client.get(reverse("procedures:need_list", args=[other.pk])).status_code == 404
    assert client.get(reverse("procedures:need_create", args=[other.pk])).status_code == 404


def test_a_need_of_another_lsr_is_404_under_this_one(client, cast, personas, territory, need):
    other = make_lsr(personas["admin"], territory["rejowiec"])
    client.force_login(personas["animator"])
    personas["animator"].gminas.add(territory["rejowiec"])
    url = reverse("procedures:need_detail", args=[other.pk, need.pk])
    assert client.get(url).status_code == 404


def test_partner_list_shows_only_needs_addressed_to_it(client, cast, need):
    hidden = post_need(cast, addressees=[cast["firm"]], description="Stolarz na 10 godzin")
    client.force_login(cast["culture_user"])
    response = client.get(urls(cast["lsr"], need)["list"])
    assert [n.pk for n in response.context["needs"]] == [need.pk]
    assert hidden.description not in response.content.decode()
    assert response.context["counts"]["all"] == 1


# --- views: flows -----------------------------------------------------------------------------


def test_animator_posts_a_need_to_chosen_partners(client, cast, personas):
    client.force_login(personas["animator"])
    url = reverse("procedures:need_create", args=[cast["lsr"].pk])
    page = client.get(url)
    assert page.context["form"].initial["posted_by"] == cast["kis"].pk
    response = client.post(
        url,
        {
            "posted_by": cast["kis"].pk,
            "kind": NeedKind.PERSONNEL,
            "description": "Psycholog na 4 godziny miesięcznie",
            "needed_when": "od marca 2027",
            "for_classes": "grupa wsparcia",
            "addressees": [cast["culture"].pk, cast["ops"].pk],
        },
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:need_detail", args=[cast["lsr"].pk, need.pk])
    assert set(need.addressees.all()) == {cast["culture"], cast["ops"]}


def test_animator_posts_to_all_members(client, cast, personas):
    client.force_login(personas["animator"])
    url = reverse("procedures:need_create", args=[cast["lsr"].pk])
    client.post(
        url,
        {
            "posted_by": cast["ops"].pk,
            "kind": NeedKind.MATERIAL,
            "description": "Materiały plastyczne",
            "needed_when": "kwiecień",
            "addressed_to_all": "on",
        },
    )
    assert set(Need.objects.get().addressees.all()) == {
        cast["kis"],
        cast["culture"],
        cast["firm"],
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"addressees": []}, "addressees"),
        ({"addressees": ["999999"]}, "addressees"),
        ({"addressees": ["outsider"]}, "addressees"),
        ({"addressees": ["kis"]}, "addressees"),
        ({"posted_by": "culture"}, "posted_by"),
        ({"posted_by": "999999"}, "posted_by"),
        ({"description": ""}, "description"),
    ],
)
def test_create_bad_input_keeps_the_form(client, cast, personas, data, field):
    client.force_login(personas["animator"])
    post = {
        "posted_by": cast["kis"].pk,
        "kind": NeedKind.KNOWLEDGE,
        "description": "Szkolenie z pierwszej pomocy",
        "needed_when": "maj",
        "addressees": [cast["culture"].pk],
    }
    for key, value in data.items():
        if isinstance(value, list):
            value = [cast[v].pk if v in cast else v for v in value]
        elif value in cast:
            value = cast[value].pk
        post[key] = value
    response = client.post(reverse("procedures:need_create", args=[cast["lsr"].pk]), post)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert form["needed_when"].value() == "maj"
    assert not Need.objects.exists()


def test_decline_with_a_reason_is_visible_to_the_animator(client, cast, personas, need):
    u = urls(cast["lsr"], need)
    client.force_login(cast["culture_user"])
    detail = client.get(u["detail"])
    assert detail.context["can_answer"]
    missing = client.post(u["respond"], {"kind": ResponseKind.DECLINE, "text": ""})
    assert missing.status_code == 200
    assert "reason" in missing.context["form"].errors["text"][0]
    assert missing.context["form"]["kind"].value() == ResponseKind.DECLINE
    done = client.post(
        u["respond"], {"kind": ResponseKind.DECLINE, "text": "Sala w remoncie do czerwca"}
    )
    assert done.status_code == 302
    assert client.get(u["detail"]).context["can_answer"] is False

    client.force_login(personas["animator"])
    detail = client.get(u["detail"])
    body = detail.content.decode()
    assert "Sala w remoncie do czerwca" in body
    assert detail.context["need"].status == NeedStatus.DECLINED
    listing = client.get(u["list"] + "?status=declined")
    assert [n.pk for n in listing.context["needs"]] == [need.pk]
    assert listing.context["counts"]["declined"] == 1
    assert client.get(u["list"] + "?status=open").context["needs"] == []


def test_offer_marks_the_need_matched(client, cast, personas, need):
    u = urls(cast["lsr"], need)
    client.force_login(cast["culture_user"])
    client.post(u["respond"], {"kind": ResponseKind.OFFER, "text": "Sala widowiskowa, wtorki"})
    client.force_login(personas["animator"])
    listing = client.get(u["list"])
    assert listing.context["needs"][0].status == NeedStatus.MATCHED
    assert 'data-status="matched"' in listing.content.decode()


def test_answering_twice_gives_a_clear_message(client, cast, need):
    u = urls(cast["lsr"], need)
    client.force_login(cast["culture_user"])
    client.post(u["respond"], {"kind": ResponseKind.OFFER, "text": "Sala"})
    again = client.post(u["respond"], {"kind": ResponseKind.DECLINE, "text": "Jednak nie"})
    assert again.status_code == 200
    assert "already answered" in " ".join(again.context["form"].non_field_errors())
    assert again.context["form"]["text"].value() == "Jednak nie"
    assert NeedResponse.objects.get().kind == ResponseKind.OFFER


def test_answering_a_closed_need(client, cast, personas, need):
    u = urls(cast["lsr"], need)
    client.force_login(personas["animator"])
    closed = client.post(u["close"], {"outcome": "not_met", "outcome_text": "Nie znaleziono sali"})
    assert closed.status_code == 302
    client.force_login(cast["culture_user"])
    page = client.get(u["respond"])
    assert "no longer takes answers" in page.content.decode()
    response = client.post(u["respond"], {"kind": ResponseKind.OFFER, "text": "Sala"})
    assert response.status_code == 200
    assert "closed" in " ".join(response.context["form"].non_field_errors())
    assert not NeedResponse.objects.exists()


def test_close_twice_is_a_message_not_an_error(client, cast, personas, need):
    u = urls(cast["lsr"], need)
    client.force_login(personas["animator"])
    outcome = {"outcome": "met", "outcome_text": "Sala udostępniona"}
    client.post(u["close"], outcome)
    response = client.post(u["close"], outcome, follow=True)
    assert response.status_code == 200
    assert "already closed" in response.content.decode()


def test_invalid_answer_kind_and_status_filter(client, cast, personas, need):
    u = urls(cast["lsr"], need)
    client.force_login(cast["culture_user"])
    response = client.post(u["respond"], {"kind": "maybe", "text": "x"})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    client.force_login(personas["animator"])
    assert client.get(u["list"] + "?status=nonsense").status_code == 200


def test_partner_sees_only_its_own_answer(client, cast, personas):
    need = post_need(cast, addressees=[cast["culture"], cast["firm"]])
    respond(cast, need, "firm", ResponseKind.DECLINE, "Tajny powód firmy")
    respond(cast, need, "culture", ResponseKind.OFFER, "Sala widowiskowa")
    client.force_login(cast["culture_user"])
    body = client.get(urls(cast["lsr"], need)["detail"]).content.decode()
    assert "Sala widowiskowa" in body and "Tajny powód firmy" not in body


def test_list_query_count_is_constant(client, cast, personas):
    client.force_login(personas["animator"])
    url = reverse("procedures:need_list", args=[cast["lsr"].pk])

    def make(n):
        for i in range(n):
            need = post_need(cast, addressees=[cast["culture"], cast["firm"]], description=f"{i}")
            if i % 2:
                respond(cast, need, "culture", ResponseKind.DECLINE, "Brak")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    make(3)
    few = count()
    make(17)
    assert len(client.get(url).context["needs"]) == 20
    assert count() == few

    client.force_login(cast["culture_user"])
    partner_few = count()
    make(5)
    assert count() == partner_few


def test_templates_follow_the_house_rules(client, cast, personas, need):
    u = urls(cast["lsr"], need)
    client.force_login(personas["animator"])
    pages = [client.get(u["list"]), client.get(u["create"]), client.get(u["detail"])]
    client.force_login(cast["culture_user"])
    pages.append(client.get(u["respond"]))
    for page in pages:
        body = page.content.decode()
        assert body.count("<h1") == 1
        assert " style=" not in body
        assert "<script>" not in body


def test_kis_needs_to_be_a_member_for_the_form(client, personas, territory):
    """An LSR without a KIS or OPS: the form says so and a post is refused next to the field."""
    lsr = make_lsr(personas["admin"], territory["zmudz"])
    member = make_org(territory["zmudz"], "C", InstitutionKind.SPORT, Sector.NGO)
    network_services.membership_add(network=lsr, organisation=member)
    client.force_login(personas["animator"])
    url = reverse("procedures:need_create", args=[lsr.pk])
    assert client.get(url).context["has_posters"] is False
    response = client.post(
        url,
        {
            "posted_by": member.pk,
            "kind": NeedKind.PREMISES,
            "description": "Sala",
            "needed_when": "maj",
            "addressed_to_all": "on",
        },
    )
    assert response.context["form"].errors["posted_by"]

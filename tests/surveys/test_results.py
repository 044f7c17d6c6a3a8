"""Survey results: denominators, coding, small-group anonymity, scoping and query counts."""

import re
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ksr_portal.core.charts import PAGE_WIDTH
from surveys import results
from surveys.models import Audience, Campaign, Coding, Response
from surveys.services import coding as services_coding
from surveys.services import responses as services
from tests.builders import launched_campaign

pytestmark = pytest.mark.django_db

_keys = count()
TITLE = "Ankieta 2017"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def answers(**overrides):
    raw = {
        "q1": ["Organizacja pozarządowa"],
        "q2": "yes",
        "q2_f1": "integracja",
        "q3": "yes",
        "q4": "yes",
        "q4_f1": "festyn",
        "q5": "yes",
        "q5_f1": "GOPS",
        "q6_1": "warsztaty",
        "q7": "no",
        "q8_1": "kultura",
        "q9": "yes",
        "q9_f1": "wolontariat",
        "q10": "otwartość",
        "q11_1": "edukacja obywatelska",
    }
    raw.update(overrides)
    return raw


def respond(campaign, **overrides) -> Response:
    return services.response_submit(
        campaign=campaign,
        raw=answers(**overrides),
        submission_key=f"key-{next(_keys)}",
        check_open=False,
    )


@pytest.fixture
def campaign(lsr):
    return launched_campaign(lsr, title=TITLE)


@pytest.fixture
def five(campaign):
    """Five institutions: three know a partnership (Q2 yes), two do not (→ jump to Q5)."""
    return [
        respond(
            campaign,
            q1=["Administracja", "Organizacja pozarządowa"],
            q3="yes",
            q6_1="warsztaty dla seniorów",
            q6_2="festyn",
        ),
        respond(campaign, q1=["Organizacja pozarządowa"], q3="no", q3_f="brak zaproszenia"),
        respond(
            campaign,
            q1=["Inna (wskaż sektor)"],
            q1_other="sektor spółdzielczy",
            q3="yes",
            q6_1="szkolenia",
        ),
        respond(campaign, q2="no", q6_1="zajęcia sportowe"),
        respond(campaign, q2="no", q1=["Administracja"], q6_1="warsztaty", q6_2="doradztwo"),
    ]


# --- tallies -------------------------------------------------------------------------------------


def test_denominators_follow_skip_logic(campaign, five):
    tally = results.tally(campaign, campaign.schema, research=True)
    assert tally.responses == 5
    q2, q3, q4, q5 = (tally.question(n) for n in (2, 3, 4, 5))
    assert (q2.asked, q2.answered) == (5, 5)
    assert [(o.label, o.count, o.percent_label) for o in q2.options] == [
        ("yes", 3, "60%"),
        ("no", 2, "40%"),
    ]
    # Q2 = no jumps to Q5: Q3 and Q4 were asked of the three others only
    assert (q3.asked, q4.asked) == (3, 3)
    assert [(o.count, o.total, o.percent_label) for o in q3.options] == [
        (2, 3, "66,7%"),
        (1, 3, "33,3%"),
    ]
    assert q5.asked == 5
    # Q3's "no" follow-up is asked of those who said no
    (why_not,) = q3.texts
    assert (why_not.field, why_not.asked, why_not.branch) == ("q3_f", 1, "no")
    assert [i.text for i in why_not.items] == ["brak zaproszenia"]
    # outside the research team that follow-up, opened for one respondent, is withheld
    (withheld,) = results.tally(campaign, campaign.schema).question(3).texts
    assert withheld.hidden and withheld.items == [] and withheld.categories == []
    # Q2's "yes" follow-up: the aims of the partnership, asked of the three who know one
    (aims,) = tally.question(2).texts
    assert (aims.asked, aims.answered) == (3, 3)


def test_multi_choice_counts_and_other_texts(campaign, five):
    q1 = results.tally(campaign, campaign.schema).question(1)
    counts = {o.label: o.count for o in q1.options}
    assert counts["Administracja"] == 2
    assert counts["Organizacja pozarządowa"] == 3
    assert counts["Inna (wskaż sektor)"] == 1
    assert counts["Kościelna osoba prawna"] == 0
    assert len(q1.options) == 12  # every option, also the unchosen
    # several answers per respondent: shares may add up to more than 100 %
    assert sum(o.percent for o in q1.options) > 100
    (other,) = q1.texts
    assert other.field == "q1_other"
    assert [i.text for i in other.items] == ["sektor spółdzielczy"]


def test_list_items_and_coded_shares(campaign, five):
    workshops = services_coding.category_add(campaign, "q6", "warsztaty")
    sport = services_coding.category_add(campaign, "q6", "sport")
    # three of the five asked proposed workshops; the first did so with two items
    services_coding.coding_set(five[0], "q6", 0, [workshops])
    services_coding.coding_set(five[0], "q6", 1, [workshops.pk])
    services_coding.coding_set(five[2], "q6", 0, [workshops])
    services_coding.coding_set(five[4], "q6", 0, [workshops, sport])
    services_coding.coding_set(five[3], "q6", 0, [sport])
    q6 = results.tally(campaign, campaign.schema).question(6)
    (group,) = q6.texts
    assert group.asked == 5
    assert len(group.items) == 7
    shares = {c.label: (c.count, c.percent_label) for c in group.categories}
    assert shares == {"warsztaty": (3, "60%"), "sport": (2, "40%")}
    assert [c.label for c in group.categories] == ["warsztaty", "sport"]  # largest first
    # re-coding replaces: the item is now only "sport"
    services_coding.coding_set(five[4], "q6", 0, [sport])
    assert Coding.objects.filter(response=five[4]).count() == 1
    q6 = results.tally(campaign, campaign.schema).question(6)
    shares = {c.label: c.count for c in q6.texts[0].categories}
    assert shares == {"warsztaty": 2, "sport": 2}


def test_coding_refuses_foreign_categories_and_items(campaign, five, lsr):
    from django.core.exceptions import ValidationError

    other_field = services_coding.category_add(campaign, "q11", "edukacja")
    with pytest.raises(ValidationError):
        services_coding.coding_set(five[0], "q6", 0, [other_field])
    with pytest.raises(ValidationError):
        services_coding.coding_set(five[0], "q6", 5, [])
    with pytest.raises(ValidationError):
        services_coding.category_add(campaign, "q2", "not a text field")
    with pytest.raises(ValidationError):
        services_coding.category_add(campaign, "q11", "EDUKACJA")  # the same name
    other = launched_campaign(lsr, audience=Audience.RESIDENTS, title="Inna")
    stranger = respond(other)
    workshops = services_coding.category_add(campaign, "q6", "warsztaty")
    with pytest.raises(ValidationError):
        services_coding.coding_replace(campaign, "q6", {(stranger.pk, 0): [workshops]})


def test_tally_reads_in_constant_queries(campaign, five, django_assert_num_queries):
    services_coding.category_add(campaign, "q6", "warsztaty")
    with django_assert_num_queries(3):
        results.tally(campaign, campaign.schema)
    with django_assert_num_queries(3):
        results.tally(Response.objects.filter(campaign=campaign), campaign.schema)
    with django_assert_num_queries(3):
        results.tally(Campaign.objects.filter(pk=campaign.pk), campaign.schema)


def test_scale_and_single_choice(campaign):
    schema = {
        "title": "t",
        "questions": [
            {"number": 1, "kind": "scale", "text": "Ocena", "scale_min": 1, "scale_max": 5},
            {"number": 2, "kind": "choice_single", "text": "Jedno", "options": ["a", "b"]},
        ],
    }
    rows = [
        (1, {"asked": [1, 2], "answers": {"q1": 5, "q2": "a"}}, 0),
        (2, {"asked": [1, 2], "answers": {"q1": 4, "q2": "a"}}, 0),
        (3, {"asked": [1, 2], "answers": {"q1": 4}}, 0),
        (4, {"asked": [1], "answers": {}}, 0),
    ]
    tally = results.tally_source(results.Source(rows, {}, {}), schema)
    scale = tally.question(1)
    assert [o.count for o in scale.options] == [0, 0, 0, 2, 1]
    assert scale.mean_label == "4,33"
    assert (scale.asked, scale.answered, scale.no_answer.count) == (4, 3, 1)
    single = tally.question(2)
    assert single.asked == 3
    assert [(o.label, o.count, o.percent_label) for o in single.options] == [
        ("a", 2, "66,7%"),
        ("b", 0, "0%"),
    ]


# --- pages ---------------------------------------------------------------------------------------


def results_url(campaign):
    return reverse("surveys:results", args=[campaign.network_id, campaign.pk])


def test_results_page_shows_shares_charts_and_tables(client, personas, campaign, five):
    client.force_login(personas["animator"])
    response = client.get(results_url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "60%" in html and "66,7%" in html
    assert 'role="img"' in html and "<caption" in html
    assert "sektor spółdzielczy" in html  # the animator sees the free texts
    assert reverse("surveys:results_export", args=[campaign.network_id, campaign.pk, "xlsx"]) in (
        html
    )
    assert reverse("surveys:coding", args=[campaign.network_id, campaign.pk, "q6"]) in html
    assert " style=" not in html
    # no chart wider than a phone's column: a page never scales its 12 px text down
    widths = [float(w) for w in re.findall(r'<svg[^>]* width="([\d.]+)"', html)]
    assert widths and max(widths) <= PAGE_WIDTH


@pytest.mark.parametrize("role", ["rops", "ksr"])
def test_small_campaign_is_hidden_outside_the_research_team(client, personas, campaign, role):
    respond(campaign, q10="tajemnica pierwsza")
    respond(campaign, q10="tajemnica druga")
    url = results_url(campaign)
    client.force_login(personas[role])
    html = client.get(url).content.decode()
    assert "fewer than 3 responses – hidden to protect anonymity" in html
    assert "tajemnica" not in html and 'role="img"' not in html
    # the animator (research team) sees the two responses
    client.force_login(personas["animator"])
    html = client.get(url).content.decode()
    assert "hidden to protect anonymity" not in html
    assert "tajemnica pierwsza" in html
    # a third response makes the campaign visible to the coordinator
    respond(campaign, q10="tajemnica trzecia")
    client.force_login(personas[role])
    html = client.get(url).content.decode()
    assert "hidden to protect anonymity" not in html
    assert "tajemnica trzecia" in html and "3 responses" in html


def test_compare_page_hides_small_groups_and_their_texts(client, personas, lsr, campaign, five):
    members = launched_campaign(lsr, audience=Audience.MEMBERS, title="Ankieta członków")
    respond(members, q10="sekret członka")
    respond(members, q10="sekret członka 2")
    residents = launched_campaign(lsr, audience=Audience.RESIDENTS, title="Ankieta mieszkańców")
    for _i in range(3):
        respond(residents, q2="no", q10="mieszkaniec")
    url = reverse("surveys:results_compare", args=[lsr.pk])
    client.force_login(personas["rops"])
    response = client.get(url, {"question": 2})
    assert response.status_code == 200
    html = response.content.decode()
    groups = {g.key: g for g in response.context["groups"]}
    # the small campaign is left out of every sum, so nothing reveals it
    assert groups["members"].responses == 0 and groups["all"].responses == 8
    assert groups["institutions"].tally.question(2).options[0].count == 3
    assert "sekret" not in html
    assert "fewer than 3 responses – hidden to protect anonymity" in html
    (section,) = response.context["sections"]
    assert section["number"] == 2
    # the animator compares all three groups, the small one included
    client.force_login(personas["animator"])
    response = client.get(url)
    groups = {g.key: g for g in response.context["groups"]}
    assert [groups[k].responses for k in ("institutions", "members", "residents", "all")] == [
        5,
        2,
        3,
        10,
    ]
    q2 = groups["residents"].tally.question(2)
    assert (q2.options[1].count, q2.options[1].percent_label) == (3, "100%")
    assert groups["residents"].tally.question(3).asked == 0
    assert "sekret członka" in response.content.decode()


def test_compare_page_without_surveys(client, personas, lsr):
    client.force_login(personas["rops"])
    response = client.get(reverse("surveys:results_compare", args=[lsr.pk]))
    assert response.status_code == 200
    assert "No survey of this network has been launched yet." in response.content.decode()


def test_scoping_of_the_results_pages(client, personas, campaign, five):
    network_pk = campaign.network_id
    urls = {
        "results": results_url(campaign),
        "compare": reverse("surveys:results_compare", args=[network_pk]),
        "coding": reverse("surveys:coding", args=[network_pk, campaign.pk, "q6"]),
        "csv": reverse("surveys:results_export", args=[network_pk, campaign.pk, "csv"]),
        "xlsx": reverse("surveys:results_export", args=[network_pk, campaign.pk, "xlsx"]),
    }
    expected = {
        "animator": dict.fromkeys(urls, 200),
        "admin": dict.fromkeys(urls, 200),
        "other_animator": dict.fromkeys(urls, 404),
        "other_rops": dict.fromkeys(urls, 404),
        "rops": {"results": 200, "compare": 200, "coding": 403, "csv": 403, "xlsx": 403},
        "ksr": {"results": 200, "compare": 200, "coding": 403, "csv": 403, "xlsx": 403},
    }
    for persona, codes in expected.items():
        client.force_login(personas[persona])
        got = {name: client.get(url).status_code for name, url in urls.items()}
        assert got == codes, persona
    client.logout()
    assert client.get(urls["results"]).status_code == 302


def test_a_campaign_of_another_network_is_not_found(client, personas, lsr, territory):
    from tests.builders import make_lsr

    rejowiec = make_lsr(personas["admin"], territory["rejowiec"])
    foreign = launched_campaign(rejowiec, title=TITLE)
    client.force_login(personas["admin"])
    url = reverse("surveys:results", args=[lsr.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.get(results_url(foreign)).status_code == 200
    bogus = reverse("surveys:coding", args=[rejowiec.pk, foreign.pk, "q2"])
    assert client.get(bogus).status_code == 404  # not a free-text field


def test_results_page_query_count_is_constant(client, personas, campaign):
    services_coding.category_add(campaign, "q6", "warsztaty")
    for _i in range(5):
        respond(campaign)
    url = results_url(campaign)
    client.force_login(personas["rops"])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(45):
        respond(campaign, q2="no" if i % 2 else "yes", q6_2=f"pomysł {i}")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["responses"] == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_coding_page_adds_categories_and_saves_codes(client, personas, campaign, five):
    url = reverse("surveys:coding", args=[campaign.network_id, campaign.pk, "q6"])
    client.force_login(personas["animator"])
    response = client.post(url, {"category-name": "  warsztaty  "})
    assert response.status_code == 302
    response = client.post(url, {"category-name": "sport"})
    response = client.get(url)
    assert response.status_code == 200
    categories = {c.name: c.pk for c in response.context["categories"]}
    assert set(categories) == {"warsztaty", "sport"}
    rows = response.context["rows"]
    assert [r["text"] for r in rows][:2] == ["warsztaty dla seniorów", "festyn"]
    assert len(rows) == 7
    shown = response.context["shown"]
    first, second = (f"{five[0].pk}-0", f"{five[0].pk}-1")
    data = {
        "shown": shown,
        f"code-{first}": [categories["warsztaty"]],
        f"code-{five[2].pk}-0": [categories["warsztaty"]],
        f"code-{five[4].pk}-0": [categories["warsztaty"], categories["sport"]],
    }
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(url, data).status_code == 302
    assert len(ctx.captured_queries) < 25
    assert Coding.objects.filter(field="q6").count() == 4
    group = results.tally(campaign, campaign.schema).question(6).texts[0]
    assert {c.label: c.percent_label for c in group.categories} == {
        "warsztaty": "60%",
        "sport": "20%",
    }
    # unticking removes; items not on the page keep their codes
    data = {"shown": f"{first},{second}", f"code-{second}": [categories["sport"]]}
    assert client.post(url, data).status_code == 302
    assert set(Coding.objects.filter(response=five[0]).values_list("item", "category__name")) == {
        (1, "sport")
    }
    assert Coding.objects.filter(field="q6").count() == 4
    # a category of another field is refused
    other = services_coding.category_add(campaign, "q11", "edukacja")
    response = client.post(url, {"shown": first, f"code-{first}": [other.pk]})
    assert response.status_code == 200
    assert not Coding.objects.filter(category=other).exists()

"""Experience items → regional review → KSR recommendations (issue 12 §6): who may do what at
which tier, 404 outside, at least one item, counts by theme and the findings search with
constant queries, the "Rekomendacje KSR" PDF read back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ksr_portal.recommendations import selectors, services
from ksr_portal.recommendations.models import (
    ExperienceItem,
    ExperienceKind,
    ItemStatus,
    Recommendation,
    RecommendationStatus,
    Theme,
)
from ksr_portal.recommendations.themes import themes_ensure
from networks.models import Network, Tier
from networks.services.networks import ksr_ensure
from tests import factories
from tests.builders import make_lsr
from tests.pdf_utils import pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes():
    themes_ensure()
    return {t.code: t for t in Theme.objects.all()}


@pytest.fixture
def net(personas, territory, lsr):
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"])
    warsaw = make_lsr(personas["admin"], territory["warsaw"])
    return {
        "zmudz": lsr,
        "rejowiec": rejowiec,
        "warsaw": warsaw,
        "rsr": Network.objects.get(tier=Tier.RSR, teryt_code="06"),
        "rsr_mazowieckie": Network.objects.get(tier=Tier.RSR, teryt_code="14"),
        "ksr": ksr_ensure(),
    }


def _finding(network, text="Brak wspólnych zasobów finansowych."):
    return factories.FindingFactory(
        evaluation=factories.EvaluationFactory(network=network), text=text
    )


def _submit(user, network, themes, title="Bariera finansowa", **evidence):
    return services.experience_submit(
        user=user,
        network=network,
        item=ExperienceItem(kind=ExperienceKind.BARRIER, title=title, description="Opis."),
        themes=[themes["funding"]],
        **evidence,
    )


def _forwarded(personas, network, themes, title):
    item = _submit(personas["admin"], network, themes, title=title)
    return services.experience_forward(user=personas["rops"], item=item)


# --- submitting ------------------------------------------------------------------------------


def test_animator_submits_an_item_of_their_lsr_with_evidence(personas, net, themes, login):
    finding = _finding(net["zmudz"])
    response = login(personas["animator"]).post(
        reverse("experience:experience_create", args=[net["zmudz"].pk]),
        {
            "kind": "barrier",
            "title": "Brak wspólnego budżetu",
            "description": "Partnerzy składają oferty osobno.",
            "themes": [themes["funding"].pk, themes["cooperation"].pk],
            "tags": "konkursy, budżet",
            "findings": [finding.pk],
        },
    )
    item = ExperienceItem.objects.get()
    assert response.status_code == 302
    assert item.network == net["zmudz"] and item.status == ItemStatus.SUBMITTED
    assert item.submitted_by == personas["animator"]
    assert list(item.findings.all()) == [finding]
    assert item.tag_list == ["konkursy", "budżet"]
    page = login(personas["animator"]).get(response["Location"]).content.decode()
    assert "Brak wspólnych zasobów finansowych." in page


def test_a_form_without_a_theme_keeps_what_was_typed(personas, net, themes, login):
    response = login(personas["animator"]).post(
        reverse("experience:experience_create", args=[net["zmudz"].pk]),
        {"kind": "barrier", "title": "Mój tytuł", "description": "Mój opis"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Wybierz co najmniej jeden temat." in body
    assert 'value="Mój tytuł"' in body and "Mój opis" in body
    assert not ExperienceItem.objects.exists()


def test_evidence_of_another_lsr_is_refused(personas, net, themes):
    other = _finding(net["rejowiec"])
    with pytest.raises(ValidationError) as exc:
        _submit(personas["animator"], net["zmudz"], themes, findings=[other])
    assert "findings" in exc.value.error_dict
    # an RSR's item may link the region's LSRs' evidence, not another region's
    _submit(personas["rops"], net["rsr"], themes, findings=[other])
    with pytest.raises(ValidationError):
        _submit(personas["rops"], net["rsr"], themes, findings=[_finding(net["warsaw"])])


def test_who_may_submit_where(personas, net, themes, login):
    create = "experience:experience_create"
    assert login(personas["rops"]).get(reverse(create, args=[net["rsr"].pk])).status_code == 200
    # outside the scope: 404; the KSR tier takes no items; partners never see the pages
    assert (
        login(personas["other_animator"]).get(reverse(create, args=[net["zmudz"].pk])).status_code
        == 404
    )
    assert login(personas["animator"]).get(reverse(create, args=[net["rsr"].pk])).status_code == 404
    assert login(personas["ksr"]).get(reverse(create, args=[net["ksr"].pk])).status_code == 404
    assert (
        login(personas["partner"]).get(reverse(create, args=[net["zmudz"].pk])).status_code == 404
    )
    # in scope without the capability: 403
    assert login(personas["ksr"]).get(reverse(create, args=[net["zmudz"].pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        _submit(personas["ksr"], net["zmudz"], themes)
    with pytest.raises(PermissionDenied):
        _submit(personas["other_animator"], net["zmudz"], themes)


# --- regional review -------------------------------------------------------------------------


def test_rops_reviews_forwards_merges_and_returns(personas, net, themes, login):
    a = _submit(
        personas["animator"], net["zmudz"], themes, title="A", findings=[_finding(net["zmudz"])]
    )
    b = _submit(personas["admin"], net["rejowiec"], themes, title="B")
    c = _submit(personas["rops"], net["rsr"], themes, title="C")
    client = login(personas["rops"])
    url = lambda name, item: reverse(f"experience:{name}", args=[net["rsr"].pk, item.pk])  # noqa: E731

    assert client.post(url("experience_review", a)).status_code == 302
    a.refresh_from_db()
    assert a.status == ItemStatus.REVIEW and a.reviewed_by == personas["rops"]

    response = client.post(url("experience_return", b), {"reason": ""})
    assert response.status_code == 400
    assert "Podaj, dlaczego doświadczenie jest zwracane." in response.content.decode()
    client.post(url("experience_return", b), {"reason": "Za mało konkretów."})
    b.refresh_from_db()
    assert b.status == ItemStatus.RETURNED and b.return_reason == "Za mało konkretów."

    client.post(url("experience_forward", c))
    client.post(url("experience_merge", a), {"into": c.pk})
    a.refresh_from_db()
    c.refresh_from_db()
    assert a.status == ItemStatus.MERGED and a.merged_into == c
    assert c.status == ItemStatus.FORWARDED
    assert c.findings.count() == 1  # the merged item's evidence goes along

    # a returned or merged item is not reviewed again
    with pytest.raises(ValidationError):
        services.experience_forward(user=personas["rops"], item=b)


def test_review_rules(personas, net, themes, login):
    item = _submit(personas["animator"], net["zmudz"], themes)
    forward = reverse("experience:experience_forward", args=[net["zmudz"].pk, item.pk])
    assert login(personas["animator"]).post(forward).status_code == 403
    assert login(personas["other_rops"]).post(forward).status_code == 404
    assert (
        login(personas["other_rops"])
        .get(reverse("experience:experience_detail", args=[net["rsr"].pk, item.pk]))
        .status_code
        == 404
    )
    other_region = _submit(personas["admin"], net["warsaw"], themes)
    with pytest.raises(ValidationError):
        services.experience_merge(user=personas["admin"], item=item, into=other_region)
    with pytest.raises(ValidationError):
        services.experience_merge(user=personas["admin"], item=item, into=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_rsr_list_shows_the_region_and_its_queue_first(
    personas, net, themes, login, django_assert_max_num_queries
):
    def page():
        return login(personas["rops"]).get(
            reverse("experience:experience_list", args=[net["rsr"].pk])
        )

    _forwarded(personas, net["zmudz"], themes, "Przekazane")
    _submit(personas["admin"], net["warsaw"], themes, title="Mazowieckie")
    with django_assert_max_num_queries(40) as small:
        page()
    for n in range(8):
        _submit(personas["admin"], net["rejowiec"], themes, title=f"Nowe {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = page().content.decode()
    assert "Mazowieckie" not in body
    assert body.index("Nowe 7") < body.index("Przekazane")


# --- recommendations -------------------------------------------------------------------------


def test_a_recommendation_rests_on_at_least_one_item(personas, net, themes, login):
    response = login(personas["ksr"]).post(
        reverse("recommendations:recommendation_create"),
        {"title": "Mój tytuł", "addressee": "DPiIS MRPiPS", "rationale": "Moje uzasadnienie"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Rekomendacja musi się opierać na co najmniej jednym doświadczeniu" in body
    assert 'value="Mój tytuł"' in body and "Moje uzasadnienie" in body
    with pytest.raises(ValidationError):
        services.recommendation_save(
            user=personas["ksr"],
            ksr=net["ksr"],
            recommendation=Recommendation(title="T", addressee="A", rationale="R"),
            items=[],
        )
    not_forwarded = _submit(personas["animator"], net["zmudz"], themes)
    with pytest.raises(ValidationError):
        services.recommendation_save(
            user=personas["ksr"],
            ksr=net["ksr"],
            recommendation=Recommendation(title="T", addressee="A", rationale="R"),
            items=[not_forwarded],
        )


def test_composing_adopting_and_openness(personas, net, themes, login):
    a = _forwarded(personas, net["zmudz"], themes, "Z Żmudzi")
    b = _forwarded(personas, net["rejowiec"], themes, "Z Rejowca")
    c = _forwarded(personas, net["rsr"], themes, "Z RSR")
    response = login(personas["ksr"]).post(
        reverse("recommendations:recommendation_create"),
        {
            "title": "Wspólne fundusze",
            "addressee": "DPiIS MRPiPS",
            "rationale": "Uzasadnienie.",
            "items": [a.pk, b.pk, c.pk],
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert recommendation.status == RecommendationStatus.DRAFT
    assert set(recommendation.lsrs.all()) == {net["zmudz"], net["rejowiec"]}  # not the RSR
    detail = reverse("recommendations:recommendation_detail", args=[recommendation.pk])
    # a draft: the composers only
    assert login(personas["animator"]).get(detail).status_code == 404
    assert (
        login(personas["rops"])
        .post(reverse("recommendations:recommendation_adopt", args=[recommendation.pk]))
        .status_code
        == 403
    )
    login(personas["ksr"]).post(
        reverse("recommendations:recommendation_adopt", args=[recommendation.pk])
    )
    recommendation.refresh_from_db()
    assert recommendation.is_adopted and recommendation.adopted_by == personas["ksr"]
    # adopted: every user at every tier reads it
    for persona in ("animator", "other_animator", "partner", "rops"):
        assert login(personas[persona]).get(detail).status_code == 200, persona
    assert (
        "Wspólne fundusze"
        in login(personas["partner"])
        .get(reverse("recommendations:recommendation_list"))
        .content.decode()
    )
    assert list(selectors.adopted_recommendations()) == [recommendation]
    # no longer editable
    with pytest.raises(ValidationError):
        services.recommendation_save(
            user=personas["ksr"], ksr=net["ksr"], recommendation=recommendation, items=[a]
        )
    with pytest.raises(ValidationError):
        services.recommendation_adopt(user=personas["ksr"], recommendation=recommendation)


def test_the_lsrs_follow_the_items_when_a_draft_changes(personas, net, themes):
    """``lsrs`` is derived from the items in one place: changing the items cannot leave it
    stale, whether through the service or the factory."""
    a = _forwarded(personas, net["zmudz"], themes, "Z Żmudzi")
    b = _forwarded(personas, net["rejowiec"], themes, "Z Rejowca")
    recommendation = services.recommendation_save(
        user=personas["ksr"],
        ksr=net["ksr"],
        recommendation=Recommendation(title="T", addressee="A", rationale="R"),
        items=[a, b],
    )
    assert set(recommendation.lsrs.all()) == {net["zmudz"], net["rejowiec"]}
    services.recommendation_save(
        user=personas["ksr"], ksr=net["ksr"], recommendation=recommendation, items=[b]
    )
    assert list(recommendation.lsrs.all()) == [net["rejowiec"]]
    built = factories.RecommendationFactory(items=[a])
    assert list(built.lsrs.all()) == [net["zmudz"]]


def test_the_admin_recomputes_the_lsrs_from_the_items(personas, net, themes, client):
    a = _forwarded(personas, net["zmudz"], themes, "Z Żmudzi")
    b = _forwarded(personas, net["rejowiec"], themes, "Z Rejowca")
    recommendation = factories.RecommendationFactory(network=net["ksr"], items=[a, b])
    change = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    client.force_login(personas["admin"])
    assert client.get(change).status_code == 200
    data = {
        "network": net["ksr"].pk,
        "title": recommendation.title,
        "rationale": recommendation.rationale,
        "addressee": recommendation.addressee,
        "items": str(b.pk),
        "status": "draft",
        "created_by": recommendation.created_by_id,
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(recommendation.lsrs.all()) == [net["rejowiec"]]


def test_the_report_is_listed_on_the_documents_page_once_adopted(personas, net, themes, login):
    """ "Rekomendacje KSR" joins the documents page through the printing registry."""
    url = reverse("printing_batch:overview")
    report = f'href="{reverse("recommendations:report_pdf")}"'
    assert report not in login(personas["ksr"]).get(url).content.decode()  # nothing adopted yet
    item = _forwarded(personas, net["zmudz"], themes, "Z Żmudzi")
    factories.RecommendationFactory(items=[item], status="adopted", adopted_at=item.submitted_at)
    body = login(personas["ksr"]).get(url).content.decode()
    assert report in body and "Raport „Rekomendacje KSR” (PDF)" in body


def test_report_pdf_shows_the_evidence_under_each_recommendation(personas, net, themes, login):
    finding = _finding(net["zmudz"], text="Niewystarczająca polityka informacyjna o Partnerstwie.")
    item = _submit(
        personas["animator"], net["zmudz"], themes, title="Mało informacji", findings=[finding]
    )
    services.experience_forward(user=personas["rops"], item=item)
    other = _forwarded(personas, net["rejowiec"], themes, "Staże u przedsiębiorców")
    recommendation = services.recommendation_save(
        user=personas["ksr"],
        ksr=net["ksr"],
        recommendation=Recommendation(
            title="Stała informacja o partnerstwach", addressee="DPiIS MRPiPS", rationale="Bo tak."
        ),
        items=[item, other],
    )
    services.recommendation_adopt(user=personas["ksr"], recommendation=recommendation)
    response = login(personas["animator"]).get(reverse("recommendations:report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pages_text(response.content))
    for expected in (
        "Rekomendacje KSR",
        "Stała informacja o partnerstwach",
        "DPiIS MRPiPS",
        "Mało informacji",
        "Staże u przedsiębiorców",
        net["zmudz"].name,
        net["rejowiec"].name,
        "Niewystarczająca polityka informacyjna o Partnerstwie.",
    ):
        assert expected in text, expected


# --- the KSR's overview and the findings search ----------------------------------------------


def test_items_by_theme_and_status_with_constant_queries(
    personas, net, themes, login, django_assert_max_num_queries
):
    def page(**params):
        return login(personas["ksr"]).get(reverse("recommendations:item_overview"), params)

    _submit(personas["admin"], net["zmudz"], themes)
    with django_assert_max_num_queries(40) as small:
        page()
    for n in range(6):
        _forwarded(personas, net["rejowiec"], themes, f"Przekazane {n}")
    labour = services.experience_submit(
        user=personas["admin"],
        network=net["warsaw"],
        item=ExperienceItem(kind="proposal", title="Rynek pracy", description="Opis."),
        themes=[themes["labour"], themes["funding"]],
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        page()
    rows, totals = selectors.item_counts_by_theme(user=personas["ksr"])
    by_code = {row.theme.code: row for row in rows}
    assert by_code["funding"].by_status == {
        "submitted": 2,
        "review": 0,
        "forwarded": 6,
        "merged": 0,
        "returned": 0,
    }
    assert by_code["labour"].total == 1
    assert totals.total == 8 and totals.by_status["forwarded"] == 6
    body = page(theme=themes["labour"].pk).content.decode()
    assert f'data-item="{labour.pk}"' in body and "Przekazane 0" not in body
    assert login(personas["rops"]).get(reverse("recommendations:item_overview")).status_code == 403


def test_findings_search_by_theme_and_text_in_scope(
    personas, net, themes, login, django_assert_max_num_queries
):
    url = reverse("recommendations:findings_search")
    _finding(net["zmudz"], "Brak wspólnych zasobów finansowych.")
    _finding(net["warsaw"], "Brak środków na dowóz uczestników.")
    factories.DeficiencyFactory(
        evaluation=factories.EvaluationFactory(network=net["rejowiec"]),
        text="Brak budżetu partnerstwa: przygotować wspólny wniosek.",
    )
    _finding(net["zmudz"], "Rozwój działalności kulturalno-sportowej.")
    params = {"theme": themes["funding"].pk}
    with django_assert_max_num_queries(40) as small:
        body = login(personas["ksr"]).get(url, params).content.decode()
    baseline = len(small.captured_queries)  # before the next request resets the log
    assert "Brak wspólnych zasobów finansowych." in body
    assert "Brak środków na dowóz uczestników." in body
    assert "Brak budżetu partnerstwa" in body
    assert "kulturalno-sportowej" not in body
    # the ROPS coordinator: the region's LSRs only
    body = login(personas["rops"]).get(url, params).content.decode()
    assert "Brak wspólnych zasobów finansowych." in body and "dowóz" not in body
    body = (
        login(personas["ksr"]).get(url, {"q": "budżetu", "source": "deficiency"}).content.decode()
    )
    assert "Brak budżetu partnerstwa" in body and "zasobów finansowych" not in body
    # paginated with a unique order, constant queries
    evaluation = factories.EvaluationFactory(network=net["rejowiec"])
    for n in range(60):
        factories.FindingFactory(evaluation=evaluation, text=f"Finansowanie {n:02d}")
    with django_assert_max_num_queries(baseline):
        first = login(personas["ksr"]).get(url, params).content.decode()
    second = login(personas["ksr"]).get(url, {**params, "page": 2}).content.decode()
    third = login(personas["ksr"]).get(url, {**params, "page": 3}).content.decode()
    seen = [f"Finansowanie {n:02d}" for n in range(60)]
    counts = [sum(s in page for s in seen) for page in (first, second, third)]
    assert sum(counts) == 60 and counts[0] == 25
    assert login(personas["animator"]).get(url).status_code == 403
    assert login(personas["partner"]).get(url).status_code == 403


def test_the_adopted_partial_for_the_ksr_network_page(personas, net, themes):
    from django.template.loader import render_to_string

    empty = render_to_string("recommendations/_adopted.html", {"recommendations": []})
    assert "Nie przyjęto jeszcze żadnej rekomendacji." in empty
    item = _forwarded(personas, net["zmudz"], themes, "Z Żmudzi")
    draft = services.recommendation_save(
        user=personas["ksr"],
        ksr=net["ksr"],
        recommendation=Recommendation(title="Projekt", addressee="DPiIS", rationale="R"),
        items=[item],
    )
    adopted = factories.RecommendationFactory(
        title="Przyjęta", items=[item], status="adopted", adopted_at=draft.created_at
    )
    html = render_to_string(
        "recommendations/_adopted.html",
        {"recommendations": selectors.adopted_recommendations()},
    )
    assert "Przyjęta" in html and "Projekt" not in html
    assert reverse("recommendations:recommendation_detail", args=[adopted.pk]) in html


# the module's demo (a module-scoped fixture) stays until its last test: keep this one last
def test_the_demo_rests_one_adopted_recommendation_on_three_items(demo_site):
    from ksr_portal.seed.demo import load_demo

    recommendation = Recommendation.objects.get()
    assert recommendation.is_adopted
    items = list(recommendation.items.select_related("network"))
    assert len(items) == 3 and {i.status for i in items} == {ItemStatus.FORWARDED}
    assert {i.network.tier for i in items} == {Tier.LSR, Tier.RSR}
    assert {i.network.teryt_code[:2] for i in items} == {"06"}
    assert sum(i.findings.count() for i in items) >= 1
    load_demo()  # idempotent
    assert Recommendation.objects.count() == 1 and ExperienceItem.objects.count() == 3

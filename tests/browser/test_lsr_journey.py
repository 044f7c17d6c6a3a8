"""The animator founds an LSR from scratch, up to a satisfied critical-conditions panel.

Everything after the set-up (territory and one animator account) happens through the UI. Elements
are found by field names, ids, form actions and URLs, never by visible text, because the texts are
being translated.
"""

import re

import pytest
from django.utils import timezone

from networks.models import AgreementStatus, MemberRole, Membership, Network, Partnership
from stakeholders.models import Organisation
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"
LSR_NAME = "Lokalna Sieć Reintegracji w Gminie Żmudź"
KIS_NAME = "Klub Integracji Społecznej w Żmudzi"
CULTURE_NAME = "Gminny Ośrodek Kultury w Żmudzi"
BUSINESS_NAME = "Piekarnia Żmudzka sp. z o.o."
WRONG_NIP = "5260250275"
VALID_NIP = "5260250274"


def _submit(page, assert_accessible, form_selector="main form[method=post]", url=None):
    """Click the submit button of a form, wait for the response page and check it with axe."""
    with page.expect_navigation():
        page.locator(form_selector).locator("button[type=submit]").click()
    if url is not None:
        page.wait_for_url(url)
    assert_accessible(page)


def _field_error(page, field_id):
    """The error crispy-forms renders next to a field (inside the field's wrapper)."""
    return page.locator(f"#div_{field_id} .invalid-feedback, #error_1_{field_id}").first


def _fill_organisation(page, *, name, stakeholder_type, kind, sector, gmina_pk, nip=""):
    page.locator("#id_name").fill(name)
    page.locator(f"[name=stakeholder_type][value={stakeholder_type}]").check()
    page.locator("#id_institution_kind").select_option(kind)
    page.locator("#id_sector").select_option(sector)
    page.locator("#id_operating_scope").select_option("local")
    page.locator("#id_gmina").select_option(str(gmina_pk))
    page.locator("#id_city").fill("Żmudź")
    page.locator("#id_nip").fill(nip)


def test_animator_builds_an_lsr_until_the_critical_conditions_are_met(
    territory, page, log_in, assert_accessible
):
    zmudz = territory["zmudz"]
    UserFactory(username="anim", role="animator", gminas=[zmudz])
    log_in("anim", PASSWORD)
    assert page.url.endswith("/moje-lsr/")

    # --- "My LSRs": found the LSR of Żmudź --------------------------------------------------------
    found = page.locator(f"a[href$='/sieci/nowa/?gmina={zmudz.pk}']")
    assert found.count() == 1
    with page.expect_navigation():
        found.click()
    page.wait_for_url(re.compile(rf"/sieci/nowa/\?gmina={zmudz.pk}$"))
    assert_accessible(page)
    assert page.locator("#id_gmina").input_value() == str(zmudz.pk)

    # --- step 1: the administrative variant without its act is refused ---------------------------
    page.locator("#id_name").fill(LSR_NAME)
    page.locator("[name=variant][value=administrative]").check()
    _submit(page, assert_accessible)
    assert re.search(r"/sieci/nowa/", page.url)
    assert not Network.objects.lsrs().exists()
    act_error = _field_error(page, "id_act_kind")
    assert act_error.is_visible()
    assert act_error.inner_text().strip()
    assert "is-invalid" in page.locator("#id_act_kind").get_attribute("class")
    # what was typed is kept
    assert page.locator("#id_name").input_value() == LSR_NAME
    assert page.locator("[name=variant][value=administrative]").is_checked()
    assert page.locator("#id_gmina").input_value() == str(zmudz.pk)

    # ... fixed: the civic variant with its initiators
    page.locator("[name=variant][value=civic]").check()
    page.locator("#id_initiators").fill("Anna Kowalska (sołtyska), ks. Jan Nowak (parafia)")
    _submit(page, assert_accessible, url=re.compile(r"/sieci/\d+/cele/$"))
    network = Network.objects.get(tier="lsr", gmina=zmudz)
    assert network.name == LSR_NAME
    assert network.variant == "civic"
    assert network.teryt_code == zmudz.code
    assert page.url.endswith(f"/sieci/{network.pk}/cele/")

    # --- step 2: goals ----------------------------------------------------------------------------
    page.locator("#id_vision").fill("Każdy mieszkaniec Żmudzi ma szansę na pracę i udział.")
    page.locator("#id_mission").fill("Łączymy instytucje, organizacje i firmy gminy.")
    page.locator("#id_main_goal").fill("Reintegracja społeczna i zawodowa mieszkańców.")
    page.locator("#id_specific_goals").fill("Staże w lokalnych firmach\nZajęcia w GOK")
    _submit(page, assert_accessible, url=re.compile(rf"/sieci/{network.pk}/czlonkowie/$"))
    network.refresh_from_db()
    assert network.specific_goal_list() == ["Staże w lokalnych firmach", "Zajęcia w GOK"]

    members_url = f"/sieci/{network.pk}/czlonkowie/"
    new_org_selector = f"main a[href$='/sieci/{network.pk}/organizacje/nowa/']"

    def open_new_organisation_form():
        with page.expect_navigation():
            page.locator(new_org_selector).first.click()
        page.wait_for_url(re.compile(rf"/sieci/{network.pk}/organizacje/nowa/$"))
        assert_accessible(page)
        # the LSR's gmina is proposed
        assert page.locator("#id_gmina").input_value() == str(zmudz.pk)

    # --- step 3: the KIS (type A, NGO sector) ------------------------------------------------------
    open_new_organisation_form()
    _fill_organisation(
        page, name=KIS_NAME, stakeholder_type="A", kind="kis", sector="ngo", gmina_pk=zmudz.pk
    )
    _submit(page, assert_accessible, url=re.compile(rf"{members_url}$"))
    kis = Organisation.objects.get(name=KIS_NAME)
    assert (kis.stakeholder_type, kis.institution_kind, kis.sector) == ("A", "kis", "ngo")
    kis_membership = Membership.objects.get(network=network, organisation=kis)
    assert kis_membership.role == MemberRole.MEMBER

    # ... made the main node from its row in the member list
    role_form = f"form[action$='/sieci/{network.pk}/czlonkowie/{kis_membership.pk}/rola/']"
    assert page.locator(f"{role_form} input[name=role]").input_value() == "main"
    _submit(page, assert_accessible, form_selector=role_form, url=re.compile(rf"{members_url}$"))
    kis_membership.refresh_from_db()
    assert kis_membership.role == MemberRole.MAIN_NODE
    # the row now offers to end the main node role instead
    assert page.locator(f"{role_form} input[name=role]").input_value() == "member"

    # --- a type C culture institution of the public sector ------------------------------------------
    open_new_organisation_form()
    _fill_organisation(
        page,
        name=CULTURE_NAME,
        stakeholder_type="C",
        kind="culture",
        sector="public",
        gmina_pk=zmudz.pk,
    )
    _submit(page, assert_accessible, url=re.compile(rf"{members_url}$"))
    culture = Organisation.objects.get(name=CULTURE_NAME)
    assert (culture.stakeholder_type, culture.sector) == ("C", "public")

    # --- a business (type C): a wrong NIP is refused, the rest of the form is kept ------------------
    open_new_organisation_form()
    _fill_organisation(
        page,
        name=BUSINESS_NAME,
        stakeholder_type="C",
        kind="business",
        sector="business",
        gmina_pk=zmudz.pk,
        nip=WRONG_NIP,
    )
    page.locator("#id_postal_code").fill("22-130")
    _submit(page, assert_accessible)
    assert page.url.endswith(f"/sieci/{network.pk}/organizacje/nowa/")
    assert not Organisation.objects.filter(name=BUSINESS_NAME).exists()
    nip_error = _field_error(page, "id_nip")
    assert nip_error.is_visible()
    assert nip_error.inner_text().strip()
    assert "is-invalid" in page.locator("#id_nip").get_attribute("class")
    assert page.locator("#id_nip").get_attribute("aria-invalid") == "true"
    assert "is-invalid" not in (page.locator("#id_name").get_attribute("class") or "")
    # the other values typed are kept
    assert page.locator("#id_name").input_value() == BUSINESS_NAME
    assert page.locator("[name=stakeholder_type][value=C]").is_checked()
    assert page.locator("#id_institution_kind").input_value() == "business"
    assert page.locator("#id_sector").input_value() == "business"
    assert page.locator("#id_gmina").input_value() == str(zmudz.pk)
    assert page.locator("#id_postal_code").input_value() == "22-130"
    assert page.locator("#id_nip").input_value() == WRONG_NIP

    page.locator("#id_nip").fill(VALID_NIP)
    _submit(page, assert_accessible, url=re.compile(rf"{members_url}$"))
    business = Organisation.objects.get(name=BUSINESS_NAME)
    assert business.nip == VALID_NIP
    assert (business.stakeholder_type, business.sector) == ("C", "business")
    assert network.memberships.active().count() == 3

    # --- step 4: a task partnership led by the KIS ------------------------------------------------
    with page.expect_navigation():
        page.locator(f"a[href$='/sieci/{network.pk}/partnerstwa/nowe/']").first.click()
    page.wait_for_url(re.compile(rf"/sieci/{network.pk}/partnerstwa/nowe/$"))
    assert_accessible(page)
    page.locator("#id_name").fill("Staże w kulturze i w piekarni")
    page.locator("#id_goal").fill("Pięć osób z KIS odbywa staże w GOK i w piekarni.")
    assert page.locator("#id_leader").input_value() == ""  # empty: the KIS (main node) leads
    _submit(page, assert_accessible, url=re.compile(rf"/sieci/{network.pk}/partnerstwa/\d+/$"))
    partnership = Partnership.objects.get(network=network)
    assert partnership.leader == kis
    assert partnership.agreement_status == AgreementStatus.DRAFT
    assert page.url.endswith(f"/sieci/{network.pk}/partnerstwa/{partnership.pk}/")

    partner_form = "form[action$='/partnerzy/']"
    status_form = "form[action$='/status/']"
    partners = [
        (culture, "Gospodarz zajęć", "premises", "Sala i pracownia ceramiczna dwa razy w tygodniu"),
        (business, "Pracodawca stażowy", "staff_hours", "Opiekun stażu, 10 godzin w tygodniu"),
    ]
    for organisation, role, kind, contribution in partners:
        form = page.locator(partner_form)
        form.locator("[name=organisation]").select_option(str(organisation.pk))
        form.locator("[name=role]").fill(role)
        form.locator("[name=contribution_kind]").select_option(kind)
        form.locator("[name=contribution]").fill(contribution)
        _submit(page, assert_accessible, form_selector=partner_form)
        assert page.url.endswith(f"/sieci/{network.pk}/partnerstwa/{partnership.pk}/")
    assert sorted(
        partnership.partners.values_list("organisation__name", "contribution_kind")
    ) == sorted([(CULTURE_NAME, "premises"), (BUSINESS_NAME, "staff_hours")])

    page.locator(f"{status_form} [name=status]").select_option("consultation")
    _submit(page, assert_accessible, form_selector=status_form)
    assert page.url.endswith(f"/sieci/{network.pk}/partnerstwa/{partnership.pk}/")
    partnership.refresh_from_db()
    assert partnership.agreement_status == AgreementStatus.CONSULTATION

    today = timezone.localdate()
    page.locator(f"{status_form} [name=status]").select_option("signed")
    page.locator(f"{status_form} [name=signed_on]").fill(today.isoformat())
    _submit(page, assert_accessible, form_selector=status_form)
    assert page.url.endswith(f"/sieci/{network.pk}/partnerstwa/{partnership.pk}/")
    partnership.refresh_from_db()
    assert partnership.agreement_status == AgreementStatus.SIGNED
    assert partnership.signed_on == today
    # a signed agreement takes no more partners nor status changes
    assert page.locator(partner_form).count() == 0
    assert page.locator(status_form).count() == 0

    # --- the LSR overview: all critical conditions met ------------------------------------------
    page.goto(f"/sieci/{network.pk}/")
    conditions = page.locator("#conditions [data-condition]")
    assert conditions.count() == 4
    states = {
        conditions.nth(i).get_attribute("data-condition"): conditions.nth(i).get_attribute(
            "data-ok"
        )
        for i in range(conditions.count())
    }
    assert states == {
        "kis_main": "true",
        "type_c": "true",
        "signed_partnership": "true",
        "sectors": "true",
    }

    annotated = Network.objects.with_conditions().get(pk=network.pk)
    assert (annotated.active_a, annotated.active_b, annotated.active_c) == (1, 0, 2)
    assert annotated.has_kis_main
    assert annotated.has_main_node
    assert annotated.has_signed_partnership
    assert annotated.has_public and annotated.has_ngo and annotated.has_business
    assert annotated.stage == "agreement"

"""Site-wide guards: every page answers, has one <h1>, is Polish; the role table is written once."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from stakeholders.roles import CAPABILITIES, Role
from tests.urlwalk import routes

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "ksr_portal" / "locale" / "pl" / "LC_MESSAGES" / "django.po"


# --- every named URL, as every role ---------------------------------------------------------------

# Who sees the object a URL names (the scope gate), by persona of ``tests.builders.demo_site``.
# Everything is in the Żmudź LSR (gmina 0603142, lubelskie); the partner represents a member.
LOGGED_IN = frozenset(
    {
        "animator",
        "rops",
        "ksr",
        "partner",
        "admin",
        "other_animator",
        "other_rops",
        "other_partner",
    }
)
ANYONE = LOGGED_IN | {"anonymous"}
TERRITORY = frozenset({"animator", "rops", "ksr", "admin"})  # gmina Żmudź in their scope
LSR = TERRITORY | {"partner"}  # ... and the member organisation's representative
REGION = frozenset({"rops", "ksr", "admin"})  # voivodeship lubelskie in their scope
# Openness (jawność): the RSR lubelskie is also read by those of its LSRs (Żmudź's animator and
# member representative).
RSR_READERS = REGION | {"animator", "partner"}
PERSONA_ROLE = {
    "animator": Role.ANIMATOR,
    "other_animator": Role.ANIMATOR,
    "rops": Role.ROPS,
    "other_rops": Role.ROPS,
    "ksr": Role.KSR,
    "partner": Role.PARTNER,
    "other_partner": Role.PARTNER,
    "admin": Role.ADMIN,
}
POST_ONLY = "POST"  # an action: GET answers 405 to every logged-in user
GET_REDIRECTS = "redirect"  # an action behind post_or_redirect: a GET is sent on to its page
PUBLIC = "public"  # no login needed


def cap(name):
    return CAPABILITIES[name]


# Rules that are not one capability of the role table, named once here.
NEED_ANSWERER = frozenset({Role.PARTNER})  # the representative of an addressed organisation
NATIONAL_PRINTER = cap("print_documents") & {Role.KSR, Role.ADMIN}  # national scope only
ANY_ROLE = frozenset(Role)
OFFERER = cap("offer_resources") - {Role.PARTNER}  # see the escalated needs' rows
OWNER = frozenset({"admin"})  # a document job is its requester's alone (the walker's: admin)

# URL (name and arguments) -> (roles allowed, personas whose scope holds the object).
EXPECTED = {
    "home": (ANY_ROLE, LOGGED_IN),
    "login": (PUBLIC, ANYONE),
    "password_change": (ANY_ROLE, LOGGED_IN),
    "password_change_done": (ANY_ROLE, LOGGED_IN),
    "password_reset": (PUBLIC, ANYONE),
    "password_reset_done": (PUBLIC, ANYONE),
    "password_reset_confirm(uidb64,token)": (PUBLIC, ANYONE),
    "password_reset_complete": (PUBLIC, ANYONE),
    "ksr_portal:my_networks": (cap("manage_networks"), LOGGED_IN),
    "ksr_portal:my_region": (cap("view_regional_dashboard"), LOGGED_IN),
    "ksr_portal:country": (cap("view_national_dashboard"), LOGGED_IN),
    "ksr_portal:my_tasks": (cap("work_own_tasks") | {Role.ADMIN}, LOGGED_IN),  # superuser
    "ksr_portal:administration": (cap("manage_users"), LOGGED_IN),
    "ksr_portal:audit_log": (cap("view_audit_history"), LOGGED_IN),
    "stakeholders:gmina_list": (cap("view_territory"), LOGGED_IN),
    "stakeholders:gmina_detail(code)": (cap("view_territory"), TERRITORY),
    "stakeholders:voivodeship_detail(code)": (cap("view_territory"), REGION),
    "dashboards:country": (cap("view_national_dashboard"), LOGGED_IN),
    "dashboards:region(code)": (cap("view_regional_dashboard"), REGION),
    "dashboards:lsr_list": (cap("view_regional_dashboard"), LOGGED_IN),
    "networks:list": (cap("view_networks"), LOGGED_IN),
    "networks:lsr_create": (cap("manage_networks"), LOGGED_IN),
    "networks:detail(pk)": (cap("view_networks"), LSR),
    "networks:goals(pk)": (cap("manage_networks"), LSR),
    "networks:picture(pk)": (cap("view_networks"), LSR),
    "networks:member_list(pk)": (cap("view_networks"), LSR),
    "networks:member_add(pk)": (cap("manage_networks"), LSR),
    "networks:member_end(pk,membership_pk)": (POST_ONLY, LSR),
    "networks:member_role(pk,membership_pk)": (POST_ONLY, LSR),
    "networks:member_export(pk,fmt)": (cap("view_networks"), LSR),
    # an LSR's participation in its RSR is the RSR's runner's to mark
    "networks:participation(pk)": (cap("run_regional_network"), LSR),
    "networks:organisation_import(pk)": (cap("manage_networks"), LSR),
    "networks:organisation_create(pk)": (cap("manage_organisations"), LSR),
    "networks:organisation_detail(pk,org_pk)": (cap("view_networks"), LSR),
    "networks:contact_add(pk,org_pk)": (POST_ONLY, LSR),
    "networks:organisation_edit(pk,org_pk)": (cap("manage_organisations"), LSR),
    "networks:contact_edit(pk,org_pk,contact_pk)": (cap("manage_organisations"), LSR),
    "networks:representatives_set(pk,org_pk)": (POST_ONLY, LSR),
    "networks:hub_task_update(pk,task_pk)": (POST_ONLY, LSR),
    "networks:partnership_create(pk)": (cap("manage_networks"), LSR),
    "networks:partnership_detail(pk,partnership_pk)": (cap("view_networks"), LSR),
    "networks:partnership_add_partner(pk,partnership_pk)": (POST_ONLY, LSR),
    "networks:partnership_status(pk,partnership_pk)": (POST_ONLY, LSR),
    # support to LSRs: the LSR's requests (its scope), the RSR's queue (the region's)
    "networks:support_list(pk)": (cap("view_networks"), LSR),
    "networks:support_create(pk)": (cap("request_support"), LSR),
    "networks:support_detail(pk,request_pk)": (cap("view_networks"), LSR),
    "networks:support_queue(rsr_pk)": (cap("give_support"), REGION),
    "networks:support_work(rsr_pk,request_pk)": (cap("give_support"), REGION),
    "networks:support_accept(rsr_pk,request_pk)": (POST_ONLY, REGION),
    "networks:support_decline(rsr_pk,request_pk)": (POST_ONLY, REGION),
    "networks:support_complete(rsr_pk,request_pk)": (POST_ONLY, REGION),
    "networks:event_list(rsr_pk)": (cap("view_networks"), RSR_READERS),
    "networks:event_create(rsr_pk)": (cap("give_support"), REGION),
    "networks:event_detail(rsr_pk,event_pk)": (cap("view_networks"), RSR_READERS),  # openness
    "networks:event_edit(rsr_pk,event_pk)": (cap("give_support"), REGION),
    # potential stakeholders: the LSR's territory only (contact notes are not for members)
    "networks:candidate_list(pk)": (cap("view_networks"), TERRITORY),
    "networks:candidate_create(pk)": (cap("manage_networks"), TERRITORY),
    "networks:candidate_edit(pk,candidate_pk)": (cap("manage_networks"), TERRITORY),
    "networks:candidate_status(pk,candidate_pk)": (POST_ONLY, TERRITORY),
    "procedures:card_list(pk)": (cap("view_networks"), LSR),
    "procedures:cards_assign_type_b(pk)": (POST_ONLY, LSR),
    # card 1 is the main node's: the partner's scope holds only its own organisation's cards
    "procedures:card_detail(pk,card_pk)": (cap("view_networks"), TERRITORY),
    "procedures:card_fields(pk,card_pk)": (POST_ONLY, TERRITORY),
    "procedures:card_complete(pk,card_pk)": (POST_ONLY, TERRITORY),
    "procedures:card_reopen(pk,card_pk)": (POST_ONLY, TERRITORY),
    "procedures:activity_transition(pk,card_pk,activity_pk)": (POST_ONLY, TERRITORY),
    "procedures:activity_update(pk,card_pk,activity_pk)": (POST_ONLY, TERRITORY),
    "procedures:evidence_upload(pk,card_pk,activity_pk)": (POST_ONLY, TERRITORY),
    "procedures:evidence_download(pk,evidence_pk)": (cap("view_networks"), TERRITORY),
    "procedures:card_pdf(pk,card_pk)": (cap("view_networks"), TERRITORY),
    "procedures:need_list(pk)": (cap("view_networks"), LSR),
    "procedures:need_create(pk)": (cap("post_needs"), LSR),
    "procedures:need_detail(pk,need_pk)": (cap("view_networks"), LSR),
    "procedures:need_respond(pk,need_pk)": (NEED_ANSWERER, LSR),
    "procedures:need_close(pk,need_pk)": (cap("post_needs"), LSR),
    "procedures:need_accept(pk,need_pk)": (POST_ONLY, LSR),
    "procedures:need_readdress(pk,need_pk)": (cap("post_needs"), LSR),
    "procedures:need_escalate(pk,need_pk)": (POST_ONLY, LSR),
    # the RSR lubelskie and the demo's need escalated to it (ARGUMENTS_OF)
    # the walker's partner represents a member of the escalating LSR itself: it reads the RSR
    # (openness) but may not offer to its own LSR's need (403)
    "procedures:escalated_needs(pk)": (OFFERER, REGION | {"partner"}),
    "procedures:escalated_need(pk,need_pk)": (OFFERER, REGION | {"partner"}),
    "procedures:escalated_need_to_ksr(pk,need_pk)": (POST_ONLY, REGION),
    "procedures:meeting_list(pk)": (cap("view_networks"), LSR),
    "procedures:meeting_create(pk)": (cap("run_meetings"), LSR),
    "procedures:meeting_detail(pk,meeting_pk)": (cap("view_networks"), LSR),
    "procedures:meeting_edit(pk,meeting_pk)": (cap("run_meetings"), LSR),
    "procedures:meeting_cancel(pk,meeting_pk)": (POST_ONLY, LSR),
    "procedures:seminar_participant_add(pk,meeting_pk)": (POST_ONLY, TERRITORY),
    "procedures:seminar_participant_remove(pk,meeting_pk,participant_pk)": (POST_ONLY, TERRITORY),
    "procedures:monitoring(pk)": (cap("view_networks"), LSR),
    "procedures:monitoring_term_create(pk)": (cap("run_meetings"), LSR),
    "procedures:monitoring_report(pk,term_pk)": (cap("supply_monitoring"), LSR),
    "procedures:monitoring_present(pk,term_pk)": (cap("run_meetings"), LSR),
    "procedures:library(pk)": (cap("view_networks"), LSR),
    "procedures:library_upload(pk)": (cap("share_documents"), LSR),
    "procedures:library_download(pk,doc_pk)": (cap("view_networks"), LSR),
    "procedures:library_delete(pk,doc_pk)": (POST_ONLY, LSR),
    "surveys:campaign_list(pk)": (cap("view_networks"), LSR),
    "surveys:campaign_create(pk)": (cap("run_surveys"), LSR),
    "surveys:campaign_detail(pk,campaign_pk)": (cap("view_networks"), LSR),
    "surveys:campaign_launch(pk,campaign_pk)": (POST_ONLY, LSR),
    "surveys:invitations_add(pk,campaign_pk)": (cap("run_surveys"), LSR),
    "surveys:invitations_send(pk,campaign_pk)": (POST_ONLY, LSR),
    "surveys:invitations_remind(pk,campaign_pk)": (POST_ONLY, LSR),
    "surveys:response_enter(pk,campaign_pk)": (cap("run_surveys"), LSR),
    "surveys:questionnaire_list(pk)": (cap("view_networks"), LSR),
    "surveys:questionnaire_edit(pk,questionnaire_pk)": (cap("run_surveys"), LSR),
    "surveys:questionnaire_copy(pk,questionnaire_pk)": (cap("run_surveys"), LSR),
    "surveys:question_add(pk,questionnaire_pk)": (cap("run_surveys"), LSR),
    "surveys:question_edit(pk,questionnaire_pk,question_pk)": (cap("run_surveys"), LSR),
    "surveys:question_delete(pk,questionnaire_pk,question_pk)": (POST_ONLY, LSR),
    "surveys:question_move(pk,questionnaire_pk,question_pk)": (POST_ONLY, LSR),
    "surveys:results_compare(pk)": (cap("view_survey_results"), LSR),
    "surveys:results(pk,campaign_pk)": (cap("view_survey_results"), LSR),
    "surveys:coding(pk,campaign_pk,field)": (cap("run_surveys"), LSR),
    "surveys:results_export(pk,campaign_pk,fmt)": (cap("run_surveys"), LSR),
    # interviews and evaluations are research material: territory only, not the members
    "surveys:interview_list(pk)": (cap("view_networks"), TERRITORY),
    "surveys:interview_create(pk)": (cap("run_interviews"), TERRITORY),
    "surveys:interview_anonymise(pk)": (POST_ONLY, TERRITORY),
    "surveys:interview_detail(pk,interview_pk)": (cap("view_networks"), TERRITORY),
    "surveys:interview_edit(pk,interview_pk)": (cap("run_interviews"), TERRITORY),
    "surveys:guide_list(pk)": (cap("view_networks"), TERRITORY),
    "surveys:guide_detail(pk,guide_pk)": (cap("view_networks"), TERRITORY),
    "surveys:guide_make_fgi(pk,guide_pk)": (POST_ONLY, TERRITORY),
    "printing:documents(pk)": (cap("view_networks"), LSR),
    "printing:agreement_pdf(pk)": (cap("print_documents"), LSR),
    "printing:partnership_agreement_pdf(pk,partnership_pk)": (cap("print_documents"), LSR),
    "printing:letters_pdf(pk,kind)": (cap("print_documents"), LSR),
    "printing_batch:agreements_batch(code)": (NATIONAL_PRINTER, REGION),
    "printing_batch:overview": (cap("view_networks"), LOGGED_IN),
    "evaluations:evaluation_list(pk)": (cap("view_networks"), TERRITORY),
    "evaluations:evaluation_create(pk)": (cap("run_evaluations"), TERRITORY),
    # the latest report: a member's representative reads the latest published one (or is told
    # there is none yet); the demo evaluation is a draft, so its own report stays territorial
    "evaluations:evaluation_report(pk)": (cap("view_networks"), LSR),
    "evaluations:evaluation_report_pdf(pk)": (cap("view_networks"), LSR),
    "evaluations:evaluation_detail(pk,evaluation_pk)": (cap("view_networks"), TERRITORY),
    "evaluations:evaluation_edit(pk,evaluation_pk)": (cap("run_evaluations"), TERRITORY),
    "evaluations:evaluation_report(pk,evaluation_pk)": (cap("view_networks"), TERRITORY),
    "evaluations:evaluation_report_pdf(pk,evaluation_pk)": (cap("view_networks"), TERRITORY),
    "evaluations:evaluation_publish(pk,evaluation_pk)": (POST_ONLY, TERRITORY),
    "printing_batch:job(job_pk)": (NATIONAL_PRINTER, OWNER),
    "printing_batch:job_download(job_pk)": (NATIONAL_PRINTER, OWNER),
    "dashboards:steps": (cap("view_national_dashboard"), LOGGED_IN),
    "dashboards:region_steps(code)": (cap("view_regional_dashboard"), REGION),
    "accounts:invitation_list": (cap("invite_users"), LOGGED_IN),
    "accounts:invitation_create": (cap("invite_users"), LOGGED_IN),
    "accounts:invitation_bulk": (cap("invite_users"), LOGGED_IN),
    "accounts:invitation_bulk_confirm": (GET_REDIRECTS, LOGGED_IN),
    "accounts:invitation_resend(pk)": (GET_REDIRECTS, LOGGED_IN),
    "accounts:invitation_revoke(pk)": (GET_REDIRECTS, LOGGED_IN),
    "accounts:access_withdraw(pk)": (GET_REDIRECTS, LOGGED_IN),
    "accounts:invitation_accept(uidb64,token)": (PUBLIC, ANYONE),
    "accounts:profile": (ANY_ROLE, LOGGED_IN),
    "accounts:email_change": (GET_REDIRECTS, LOGGED_IN),
    "accounts:email_confirm(token)": (PUBLIC, ANYONE),
    "accounts:calendar": (ANY_ROLE, LOGGED_IN),
    "accounts:calendar_reset": (GET_REDIRECTS, LOGGED_IN),
    "accounts:calendar_revoke": (GET_REDIRECTS, LOGGED_IN),
    "accounts:calendar_feed(token)": (PUBLIC, ANYONE),  # the secret address is the key
    "accounts:meeting_ics(pk,meeting_pk)": (cap("view_networks"), LSR),
    "notifications:list": (ANY_ROLE, LOGGED_IN),
    "notifications:open(pk)": (GET_REDIRECTS, LOGGED_IN),
    "notifications:read(pk)": (GET_REDIRECTS, LOGGED_IN),
    "notifications:read_all": (GET_REDIRECTS, LOGGED_IN),
    "notifications:preferences": (ANY_ROLE, LOGGED_IN),
    "notifications:unsubscribe(token)": (PUBLIC, ANYONE),  # the signed link is the key
    "answer:thanks": (PUBLIC, ANYONE),
    "answer:invited(token)": (PUBLIC, ANYONE),
    "answer:general(public_token)": (PUBLIC, ANYONE),
    # experience items (issue 12 §6): territorial, like research material (partners: 404)
    "experience:experience_list(pk)": (cap("view_networks"), TERRITORY),
    "experience:experience_create(pk)": (cap("submit_experience"), TERRITORY),
    "experience:experience_detail(pk,item_pk)": (cap("view_networks"), TERRITORY),
    "experience:experience_review(pk,item_pk)": (POST_ONLY, TERRITORY),
    "experience:experience_forward(pk,item_pk)": (POST_ONLY, TERRITORY),
    "experience:experience_merge(pk,item_pk)": (POST_ONLY, TERRITORY),
    "experience:experience_return(pk,item_pk)": (POST_ONLY, TERRITORY),
    # adopted recommendations are open to every user (the demo's one is adopted)
    "recommendations:recommendation_list": (cap("view_networks"), LOGGED_IN),
    "recommendations:report_pdf": (cap("view_networks"), LOGGED_IN),
    "recommendations:recommendation_detail(recommendation_pk)": (cap("view_networks"), LOGGED_IN),
    "recommendations:recommendation_pdf(recommendation_pk)": (cap("view_networks"), LOGGED_IN),
    "recommendations:recommendation_create": (cap("compose_recommendations"), LOGGED_IN),
    "recommendations:recommendation_edit(recommendation_pk)": (
        cap("compose_recommendations"),
        LOGGED_IN,
    ),
    "recommendations:recommendation_adopt(recommendation_pk)": (POST_ONLY, LOGGED_IN),
    "recommendations:item_overview": (cap("compose_recommendations"), LOGGED_IN),
    "recommendations:findings_search": (cap("search_findings"), LOGGED_IN),
    "legal:accessibility": (PUBLIC, ANYONE),
    "legal:privacy": (PUBLIC, ANYONE),
    "dashboards:search": (ANY_ROLE, LOGGED_IN),  # results are scoped, the page is everyone's
}
# Not walked: they change state on GET by design of Django (logout is POST-only, tested in
# test_auth) or only redirect (set_language).
NOT_WALKED = {"logout", "set_language"}
# An argument whose value depends on the URL: the TERYT code of a gmina or of a voivodeship.
CODE_OF = {"stakeholders:gmina_detail": "0603142"}
VOIVODESHIP_CODE = "06"
# Arguments whose name other URLs use for another object: URL name -> {argument: object key}.
ARGUMENTS_OF = {
    "accounts:invitation_resend": {"pk": "account_invitation_pk"},
    "accounts:invitation_revoke": {"pk": "account_invitation_pk"},
    "accounts:access_withdraw": {"pk": "account_invitation_pk"},
    "accounts:invitation_accept": {"uidb64": "invitation_uidb64", "token": "invitation_link_token"},
    "accounts:email_confirm": {"token": "email_token"},
    "accounts:calendar_feed": {"token": "calendar_token"},
    "notifications:open": {"pk": "notification_pk"},
    "notifications:read": {"pk": "notification_pk"},
    "notifications:unsubscribe": {"token": "unsubscribe_token"},
    "procedures:escalated_needs": {"pk": "rsr_pk"},
    "procedures:escalated_need": {"pk": "rsr_pk", "need_pk": "escalated_need_pk"},
    "procedures:escalated_need_to_ksr": {"pk": "rsr_pk", "need_pk": "escalated_need_pk"},
}


def url_values(route, objects):
    values = dict(objects)
    values["code"] = CODE_OF.get(route.name, VOIVODESHIP_CODE)
    for argument, key in ARGUMENTS_OF.get(route.name, {}).items():
        values[argument] = objects[key]
    return values


def expected_statuses(route_key, persona):
    """What the role table says this persona gets on GET."""
    allowed, scope = EXPECTED[route_key]
    if allowed == PUBLIC:
        return {200, 302}
    if allowed == GET_REDIRECTS:
        return {302}  # to the login page, or on to the page where the action lives
    if persona == "anonymous":
        return {302}
    if allowed == POST_ONLY:
        return {405}
    capable = PERSONA_ROLE[persona] in allowed
    in_scope = persona in scope
    if capable and in_scope:
        return {200, 302}
    if capable:
        return {404}
    if in_scope:
        return {403}
    return {403, 404}  # both missing: either answer tells nothing


class _NoLayoutHTML:
    """WeasyPrint's layout is what PDF tests measure; the walker only needs the template."""

    def __init__(self, *args, **kwargs):
        pass

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.7 walker stub"


@pytest.fixture
def walker(demo_site, client, db, monkeypatch):
    monkeypatch.setattr("ksr_portal.core.pdf.HTML", _NoLayoutHTML)
    client.raise_request_exception = False
    return client


def walked_routes():
    return [r for r in routes() if r.name not in NOT_WALKED]


def test_every_named_url_has_an_expectation():
    """A new URL fails here until it says which capability and scope it needs."""
    keys = {r.key for r in walked_routes()}
    assert keys - set(EXPECTED) == set(), "add these URLs to EXPECTED"
    assert set(EXPECTED) - keys == set(), "these URLs are gone: remove them from EXPECTED"


@pytest.mark.parametrize("persona", sorted(ANYONE))
def test_every_named_url_answers_as_the_role_table_says(walker, demo_site, persona):
    if persona != "anonymous":
        walker.force_login(demo_site["users"][persona])
    wrong = []
    for route in walked_routes():
        response = walker.get(route.fill(url_values(route, demo_site["objects"])))
        expected = expected_statuses(route.key, persona)
        if response.status_code not in expected:
            wrong.append(f"{route.key}: {response.status_code}, expected {sorted(expected)}")
            continue
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            body = response.content.decode()
            if len(re.findall(r"<h1[\s>]", body)) != 1:
                wrong.append(f"{route.key}: not exactly one <h1>")
            if '<html lang="pl">' not in body or '<main id="main"' not in body:
                wrong.append(f"{route.key}: not a Polish page with <main id=main>")
            if 'id="footer-accessibility"' not in body or 'id="footer-privacy"' not in body:
                wrong.append(f"{route.key}: no accessibility statement / RODO link in the footer")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_capability_table_in_readme_matches_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- capabilities:start -->")[1].split("<!-- capabilities:end -->")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    table = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        table[cells[0].strip("`")] = cells[2:]
    header = [line for line in section.splitlines() if line.startswith("| capability")][0]
    roles = [c.strip() for c in header.strip("|").split("|")][2:]
    assert roles == [r.value for r in Role]
    assert set(table) == set(CAPABILITIES)
    for capability, marks in table.items():
        readme_roles = {role for role, mark in zip(roles, marks, strict=True) if mark == "✔"}
        assert readme_roles == set(CAPABILITIES[capability]), capability


def test_polish_translations_are_complete():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    text = PO_FILE.read_text(encoding="utf-8")
    assert "nplurals=4" in text


def test_polish_plural_forms(settings):
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("pl"):
        forms = [
            ngettext("%(counter)s gmina", "%(counter)s gminas", n) % {"counter": n}
            for n in (1, 3, 5, 22, 25)
        ]
    assert forms == ["1 gmina", "3 gminy", "5 gmin", "22 gminy", "25 gmin"]

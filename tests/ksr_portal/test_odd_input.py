"""No server error on odd input (issue 11): NUL and other control characters, over-long values,
huge numbers and odd dates in path segments, query strings and form fields answer 400, 404 or a
form error, never 500 — on every URL pattern, as every role."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ksr_portal.test_guards import ANYONE, _NoLayoutHTML, url_values
from tests.urlwalk import routes

# Every query parameter a view or filter of the portal reads.
QUERY_KEYS = [
    "page", "p", "sort", "format", "kind", "gmina", "county", "voivodeship", "guide", "next",
    "organisation", "questionnaire", "stakeholder_type", "term", "title", "name", "stage",
    "variant", "missing", "has", "card_done", "status", "sector", "from", "to", "q", "campaign",
]  # fmt: skip
WALKED = [r for r in routes() if r.name not in {"logout", "set_language"}]
CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")

odd_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=CONTROL, min_size=1, max_size=5),
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=10), st.text(max_size=10)),
    st.integers(min_value=2**31, max_value=10**40).map(str),
    st.integers(max_value=-1).map(str),
    st.text(alphabet="9", min_size=300, max_size=3000),
    st.text(min_size=1, max_size=1, alphabet="ąęłńóśźżĄ\u202e\ufeff").map(lambda c: c * 2000),
    st.sampled_from(["99999-01-01", "2024-02-30", "0000-00-00", "1e309", "NaN", "-0", "%00"]),
)


@pytest.fixture
def fuzz_client(demo_site, client, db, monkeypatch):
    monkeypatch.setattr("ksr_portal.core.pdf.HTML", _NoLayoutHTML)
    client.raise_request_exception = False
    return client


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(WALKED),
    persona=st.sampled_from(sorted(ANYONE)),
    segments=st.dictionaries(st.sampled_from(["pk", "x"]), odd_text, max_size=1),
    odd_segment=odd_text,
    query=st.dictionaries(st.sampled_from(QUERY_KEYS), odd_text, max_size=4),
)
def test_no_url_answers_5xx_to_odd_segments_and_queries(
    fuzz_client, demo_site, route, persona, segments, odd_segment, query
):
    fuzz_client.logout()
    if persona != "anonymous":
        fuzz_client.force_login(demo_site["users"][persona])
    values = url_values(route, demo_site["objects"])
    if route.kwargs:  # one argument odd, the others real, so the odd one reaches the view
        values[route.kwargs[len(odd_segment) % len(route.kwargs)]] = odd_segment
    url = route.fill(values)
    if query:
        url += "?" + urlencode(query)
    response = fuzz_client.get(url)
    assert response.status_code < 500, f"{persona} GET {url[:300]}: {response.status_code}"


# --- explicit cases: each one answered 500 before the fix ----------------------------------------


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("stakeholders:gmina_detail", {"code": "06\x0003142"}),
        ("stakeholders:voivodeship_detail", {"code": "0\x00"}),
        ("dashboards:region", {"code": "\x00"}),
        ("printing_batch:agreements_batch", {"code": "\x00"}),
        ("answer:general", {"public_token": "a\x00b"}),
        ("answer:invited", {"token": "\x00"}),
    ],
)
def test_nul_in_a_path_segment_is_a_polish_400(fuzz_client, demo_site, name, kwargs):
    fuzz_client.force_login(demo_site["users"]["admin"])
    response = fuzz_client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 400
    assert "Nieprawidłowe żądanie" in response.content.decode()


def test_control_characters_in_query_and_form_fields_are_a_400(fuzz_client, demo_site):
    fuzz_client.force_login(demo_site["users"]["animator"])
    pk = demo_site["objects"]["pk"]
    url = reverse("networks:member_list", args=[pk])
    assert fuzz_client.get(url, {"name": "GOPS\x00"}).status_code == 400
    assert fuzz_client.get(url, {"name\x01": "GOPS"}).status_code == 400
    assert fuzz_client.get(url, {"name": "GOPS\x1b[0m"}).status_code == 400
    assert fuzz_client.get(url, {"name": "GOPS\tŻmudź\r\n"}).status_code == 200
    create = reverse("procedures:meeting_create", args=[pk])
    assert fuzz_client.post(create, {"agenda": "a\x00b"}).status_code == 400
    # newlines and tabs are text, not control characters: the form answers with field errors
    assert fuzz_client.post(create, {"agenda": "punkt 1\r\n\tpunkt 2"}).status_code == 200


def test_nul_in_an_uploaded_file_is_data_not_an_attack(fuzz_client, demo_site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fuzz_client.force_login(demo_site["users"]["animator"])
    url = reverse("procedures:library_upload", args=[demo_site["objects"]["pk"]])
    upload = SimpleUploadedFile("plik.pdf", b"%PDF-1.4\x00\x01\x02", "application/pdf")
    response = fuzz_client.post(url, {"title": "Plik", "category": "other", "file": upload})
    assert response.status_code == 302  # stored like any PDF


@pytest.mark.parametrize("login_url", ["login", "admin:login"])
@pytest.mark.parametrize(
    "username", ["x" * 300, "x" * 5000, "anim\x00", "\x00", "ż" * 200, "ok\x07"]
)
def test_both_login_forms_refuse_odd_user_names_without_a_500(fuzz_client, login_url, username):
    response = fuzz_client.post(reverse(login_url), {"username": username, "password": "nope"})
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert response.context["form"].errors


def _forms_of(response):
    context = getattr(response, "context", None)
    forms = []
    for key in context.keys() if context is not None else []:
        value = context[key]
        if hasattr(value, "fields") and hasattr(value, "is_bound") and value not in forms:
            forms.append(value)
    return forms


@pytest.mark.parametrize("persona", ["admin", "partner"])  # every form the two can open
def test_every_form_answers_over_long_and_huge_values_without_a_500(
    fuzz_client, demo_site, persona
):
    fuzz_client.force_login(demo_site["users"][persona])
    errors, posted = [], 0
    for route in WALKED:
        if route.name.startswith("answer:") or route.name.startswith("password"):
            continue
        url = route.fill(url_values(route, demo_site["objects"]))
        for form in _forms_of(fuzz_client.get(url)):
            for value in ["x" * 3000, "9" * 40]:
                data = {form.add_prefix(name): value for name in form.fields}
                response = fuzz_client.post(url, data)
                posted += 1
                if response.status_code >= 500:
                    errors.append(f"{route.key} {type(form).__name__} {value[:5]}…")
    assert posted > 10  # the forms were found and posted
    assert errors == []

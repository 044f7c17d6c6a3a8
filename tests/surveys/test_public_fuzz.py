"""Random POSTs to the general survey link never break the page and never store more than one
response per POST."""

import secrets
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.models import Audience, Campaign, Response
from surveys.services import campaigns as services_campaigns
from surveys.services import responses as services
from tests.builders import make_lsr

pytestmark = pytest.mark.django_db

SUFFIXES = ["", "_1", "_2", "_3", "_4", "_other", "_f", "_f1", "_f2", "_f3", "_yes_f1", "_no_f"]
FIELD_NAMES = st.builds(
    lambda n, suffix: f"q{n}{suffix}",
    st.integers(min_value=0, max_value=15),
    st.sampled_from(SUFFIXES),
)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["yes", "no", "", " ", "Administracja", "Inna (wskaż sektor)", "5", "-1"]),
    st.just("x" * 6000),
    st.text(alphabet="\x00\x01\x1f\x7f\u200b\ufeff\u202e ąę\n\t", max_size=30),
)
VALUES = st.one_of(TEXTS, st.lists(TEXTS, max_size=4))
EXTRAS = st.fixed_dictionaries(
    {},
    optional={
        "action": st.sampled_from(["submit", "save", "", "delete"]),
        "website": st.sampled_from(["", "http://spam.example"]),
    },
)
VALID = {
    "q1": ["Organizacja pozarządowa"],
    "q2": "no",
    "q5": "yes",
    "q6_1": "warsztaty",
    "q7": "no",
    "q8_1": "kultura",
    "q9": "no",
    "q10": "otwartość",
    "q11_1": "edukacja",
}


@pytest.fixture
def campaign(personas, territory):
    network = make_lsr(personas["admin"], territory["zmudz"])
    campaign = Campaign.objects.create(
        network=network,
        questionnaire=services.questionnaire_load_default(),
        title="Fuzz",
        audience=Audience.RESIDENTS,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    return services_campaigns.campaign_launch(campaign=campaign)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.dictionaries(FIELD_NAMES, VALUES, max_size=12),
    extras=EXTRAS,
    start_valid=st.booleans(),
    key=st.one_of(st.none(), st.just("fresh"), st.text(max_size=20)),
)
def test_random_posts_never_break_the_page(client, campaign, fields, extras, start_valid, key):
    cache.clear()  # the rate limit is tested elsewhere
    url = reverse("answer:general", args=[campaign.public_token])
    data = {**(VALID if start_valid else {}), **fields, **extras}
    if key == "fresh":
        data["submission_key"] = secrets.token_urlsafe(16)
    elif key is not None:
        data["submission_key"] = key
    before = Response.objects.count()
    response = client.post(url, data)
    assert response.status_code in {200, 302, 400, 410, 429}
    assert Response.objects.count() - before <= 1
    if response.status_code == 302:
        assert response["Location"] in {reverse("answer:thanks"), url}

"""Personas and shared fixtures. Every test module gets the small territory below."""

import os

import pytest

from networks.models import MemberRole
from networks.services import networks as network_services
from stakeholders.models import GminaKind, InstitutionKind, Sector
from stakeholders.roles import Role

from .builders import demo_site as demo_site_builder
from .builders import make_lsr, make_org
from .factories import CountyFactory, GminaFactory, UserFactory, VoivodeshipFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The 13 procedure card templates (from YAML) are seeded once per test session, in the test
    database itself; each test's transaction rolls back above them. Tests that flush the database
    (transactional ones) lose them, and ``cards_sync`` loads them again when it needs them."""
    from procedures.services.cards import card_templates_load

    with django_db_blocker.unblock():
        card_templates_load()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The seeded demo (``tests.builders.demo_site``) once per module: written in a transaction
    that rolls back after the module's last test; each test runs in a savepoint inside it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_site_builder()
        transaction.set_rollback(True)


@pytest.fixture
def territory(db):
    lubelskie = VoivodeshipFactory(code="06", name="lubelskie")
    mazowieckie = VoivodeshipFactory(code="14", name="mazowieckie")
    chelmski = CountyFactory(code="0603", name="powiat chełmski", voivodeship=lubelskie)
    warszawa = CountyFactory(code="1465", name="Warszawa", voivodeship=mazowieckie)
    zmudz = GminaFactory(code="0603142", name="Żmudź", kind=GminaKind.RURAL, county=chelmski)
    rejowiec = GminaFactory(
        code="0603113", name="Rejowiec", kind=GminaKind.URBAN_RURAL, county=chelmski
    )
    warsaw = GminaFactory(code="1465011", name="Warszawa", kind=GminaKind.URBAN, county=warszawa)
    return {
        "lubelskie": lubelskie,
        "mazowieckie": mazowieckie,
        "chelmski": chelmski,
        "zmudz": zmudz,
        "rejowiec": rejowiec,
        "warsaw": warsaw,
    }


@pytest.fixture
def personas(territory):
    """One user per role and scope: the cast of the scoping matrix."""
    return {
        "animator": UserFactory(username="anim", role=Role.ANIMATOR, gminas=[territory["zmudz"]]),
        "other_animator": UserFactory(
            username="anim2", role=Role.ANIMATOR, gminas=[territory["warsaw"]]
        ),
        "rops": UserFactory(username="rops1", role=Role.ROPS, voivodeship=territory["lubelskie"]),
        "other_rops": UserFactory(
            username="rops2", role=Role.ROPS, voivodeship=territory["mazowieckie"]
        ),
        "ksr": UserFactory(username="ksr1", role=Role.KSR),
        "partner": UserFactory(username="partner1", role=Role.PARTNER),
        "admin": UserFactory(username="admin1", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def lsr(personas, territory):
    return make_lsr(personas["admin"], territory["zmudz"])


@pytest.fixture
def kis(territory):
    return make_org(territory["zmudz"], "A", InstitutionKind.KIS, Sector.NGO, name="KIS w Żmudzi")


@pytest.fixture
def full_lsr(lsr, kis, territory):
    """An LSR that meets every critical condition."""
    zmudz = territory["zmudz"]
    network_services.membership_add(network=lsr, organisation=kis, role=MemberRole.MAIN_NODE)
    culture = make_org(
        zmudz, "C", InstitutionKind.CULTURE, Sector.PUBLIC, name="Gminne Centrum Kultury"
    )
    firm = make_org(zmudz, "C", InstitutionKind.BUSINESS, Sector.BUSINESS, name="Firma Lokalna")
    ops = make_org(zmudz, "B", InstitutionKind.SOCIAL_ASSISTANCE, Sector.PUBLIC, name="GOPS Żmudź")
    for org in (culture, firm, ops):
        network_services.membership_add(network=lsr, organisation=org)
    return lsr


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (dashboard roll-ups, rate limits)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

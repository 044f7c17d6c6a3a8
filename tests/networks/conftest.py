import pytest

from networks import services
from networks.models import MemberRole, Network
from stakeholders.models import InstitutionKind, OperatingScope, Organisation, Sector

_counter = {"n": 0}


def make_org(
    gmina, stakeholder_type="C", kind=InstitutionKind.CULTURE, sector=Sector.PUBLIC, **extra
):
    _counter["n"] += 1
    return Organisation.objects.create(
        name=extra.pop("name", f"Organizacja {_counter['n']}"),
        stakeholder_type=stakeholder_type,
        institution_kind=kind,
        sector=sector,
        gmina=gmina,
        operating_scope=extra.pop("operating_scope", OperatingScope.LOCAL),
        **extra,
    )


def make_lsr(user, gmina, **extra):
    network = Network(
        name=extra.pop("name", f"LSR {gmina.name}"),
        variant="civic",
        initiators="Liderzy lokalni",
        **extra,
    )
    return services.lsr_create(user=user, gmina=gmina, network=network)


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
    services.membership_add(network=lsr, organisation=kis, role=MemberRole.MAIN_NODE)
    culture = make_org(
        zmudz, "C", InstitutionKind.CULTURE, Sector.PUBLIC, name="Gminne Centrum Kultury"
    )
    firm = make_org(zmudz, "C", InstitutionKind.BUSINESS, Sector.BUSINESS, name="Firma Lokalna")
    ops = make_org(zmudz, "B", InstitutionKind.SOCIAL_ASSISTANCE, Sector.PUBLIC, name="GOPS Żmudź")
    for org in (culture, firm, ops):
        services.membership_add(network=lsr, organisation=org)
    return lsr

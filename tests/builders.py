"""Builders of networks and organisations for tests (plain functions, no fixtures)."""

from networks.models import Network
from networks.services import networks as services
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

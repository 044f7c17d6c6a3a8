"""The demo's escalated need (issue 12 §9): a need of the Żmudź KIS declined by its partners,
escalated to the RSR lubelskie, with a regional offer. Read from `data/demo_escalation.yaml`,
written through the services (so its timeline shows every step); applied once."""

from ksr_portal.seed.datafiles import load_yaml
from networks.models import Network

DATA = load_yaml("demo_escalation.yaml")


def load_demo_escalation(network: Network, *, users) -> bool:
    from procedures.models import Need
    from procedures.services.needs import need_escalate, need_offer
    from stakeholders.models import Organisation

    if Need.objects.filter(network=network, escalated_at__isnull=False).exists():
        return False
    need = Need.objects.filter(network=network, description=DATA["need"]).first()
    rsr = network.parent
    if need is None or rsr is None:
        return False
    need = need_escalate(need=need, user=users[DATA["escalated_by"]])
    offer = DATA["offer"]
    need_offer(
        need=need,
        network=rsr,
        organisation=Organisation.objects.get(name=offer["organisation"], memberships__network=rsr),
        text=offer["text"],
        user=users[offer["user"]],
    )
    return True

"""Demo experience items of lubelskie and one adopted KSR recommendation resting on them, read
from `data/demo_recommendations.yaml`; written through the services, once (idempotent: nothing
happens when the recommendation exists)."""

from typing import Any

from ksr_portal.evaluations.models import Deficiency, Finding
from ksr_portal.recommendations import services
from ksr_portal.recommendations.models import ExperienceItem, Recommendation, Theme
from ksr_portal.recommendations.themes import themes_ensure
from ksr_portal.seed.datafiles import load_yaml
from networks.models import Network, Tier

RSR_CODE = "06"


def _network(key: str) -> Network:
    if key == "rsr":
        return Network.objects.get(tier=Tier.RSR, teryt_code=RSR_CODE)
    return Network.objects.get(tier=Tier.LSR, gmina__code=key)


def _by_start(model: Any, network: Network, texts: list[str]) -> list[Any]:
    found = []
    for text in texts:
        obj = model.objects.filter(evaluation__network=network, text__startswith=text).first()
        if obj is not None:
            found.append(obj)
    return found


def load_demo_recommendations(*, users: dict) -> bool:
    """True when the demo items and recommendation were written now."""
    data = load_yaml("demo_recommendations.yaml")
    if Recommendation.objects.filter(title=data["recommendation"]["title"]).exists():
        return False
    themes_ensure()
    items = []
    for spec in data["items"]:
        network = _network(spec["network"])
        item = ExperienceItem.objects.filter(network=network, title=spec["title"]).first()
        if item is None:
            item = services.experience_submit(
                user=users[spec["submitted_by"]],
                network=network,
                item=ExperienceItem(
                    kind=spec["kind"],
                    title=spec["title"],
                    description=spec["description"],
                    tags=spec.get("tags", ""),
                ),
                themes=Theme.objects.filter(code__in=spec["themes"]),
                findings=_by_start(Finding, network, spec.get("findings", [])),
                deficiencies=_by_start(Deficiency, network, spec.get("deficiencies", [])),
            )
        if item.status != "forwarded":
            item = services.experience_forward(user=users["rops"], item=item)
        items.append(item)
    ksr = Network.objects.get(tier=Tier.KSR)
    spec = data["recommendation"]
    recommendation = services.recommendation_save(
        user=users["ksr"],
        ksr=ksr,
        recommendation=Recommendation(
            title=spec["title"], addressee=spec["addressee"], rationale=spec["rationale"]
        ),
        items=items,
    )
    services.recommendation_adopt(user=users["ksr"], recommendation=recommendation)
    return True

"""The Żmudź 2017 evaluation study in the demo: three campaigns (institutions, partnership members,
residents) on the default questionnaires, answers whose shares equal the seed report's figures,
the codings of their free-text items, and the evaluation with findings, deficiencies obliging
partners and the conclusion, published by the animator. The contents are in
``data/study_zmudz.yaml``; this module only turns them into records through the services."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.utils import timezone

from ksr_portal.evaluations import services as evaluation_services
from ksr_portal.evaluations.models import Deficiency, Evaluation, Finding
from networks.models import Network
from stakeholders.models import Organisation
from surveys.models import Campaign, Channel, CodeCategory, Coding, Interview, Response
from surveys.services import campaigns as services_campaigns
from surveys.services import responses as services

DATA_FILE = Path(__file__).resolve().parent / "data" / "study_zmudz.yaml"
UNCODED = "~"


def study_data(path: Path = DATA_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _blocks(counts: dict, size: int, *, wrap: bool) -> dict[str, set[int]]:
    """Positions 0..size-1 of those asked holding each key: consecutive blocks, one after
    another; with ``wrap`` a block continues at the start (multiple answers per respondent)."""
    chosen: dict[str, set[int]] = {}
    start = 0
    for key, count in counts.items():
        if not wrap and start + count > size:
            raise ValueError(f"{key}: {start + count} answers for {size} asked")
        chosen[str(key)] = {(start + k) % size for k in range(count)} if size else set()
        start += count
    if not wrap and start != size:
        raise ValueError(f"the split gives {start} answers for {size} asked")
    return chosen


def _is_among(raw: dict, among: dict | None) -> bool:
    for name, allowed in (among or {}).items():
        allowed = allowed if isinstance(allowed, list) else [allowed]
        if raw.get(name) not in [str(a) for a in allowed]:
            return False
    return True


def _fill_items(raws, asked, name: str, spec: dict, texts: dict) -> None:
    """List items of ``name`` (``q6`` → fields q6_1.., ``q2_f`` → q2_f1..)."""
    separator = "" if name.endswith("_f") else "_"
    for key, positions in _blocks(spec["items"], len(asked), wrap=True).items():
        text = key.removeprefix(UNCODED)
        if not key.startswith(UNCODED):
            texts[(name, text)] = key
        for position in positions:
            raw = raws[asked[position]]
            count = sum(1 for field in raw if field.startswith(f"{name}{separator}"))
            raw[f"{name}{separator}{count + 1}"] = text


def _fill(raws: list[dict], number: int, spec: dict, texts: dict) -> None:
    name = f"q{number}"
    asked = [i for i, raw in enumerate(raws) if _is_among(raw, spec.get("among"))]
    if "split" in spec:
        for answer, positions in _blocks(spec["split"], len(asked), wrap=False).items():
            for position in positions:
                raws[asked[position]][name] = answer
    if "each" in spec:
        for option, positions in _blocks(spec["each"], len(asked), wrap=True).items():
            for position in positions:
                raws[asked[position]].setdefault(name, []).append(option)
    if "items" in spec:
        _fill_items(raws, asked, name, spec, texts)
    if "text" in spec:
        for i in asked:
            raws[i][name] = spec["text"]
    for answer, followup in (spec.get("followup") or {}).items():
        opened = [i for i in asked if raws[i].get(name) == str(answer)]
        if "items" in followup:
            subset = [raws[i] for i in opened]
            _fill_items(subset, list(range(len(subset))), f"{name}_f", followup, texts)
        if "text" in followup:
            for i in opened:
                raws[i][f"{name}_f"] = followup["text"]


def study_answers(group: dict) -> tuple[list[dict], dict]:
    """The raw answers of a group's respondents, and (field, item text) → code category."""
    raws: list[dict] = [{} for _ in range(int(group["responses"]))]
    texts: dict[tuple[str, str], str] = {}
    for key, spec in group["questions"].items():
        _fill(raws, int(key.removeprefix("q")), spec, texts)
    return raws, texts


def _code(campaign: Campaign, texts: dict) -> None:
    categories = {
        key: CodeCategory.objects.create(campaign=campaign, field=key[0], name=key[1])
        for key in dict.fromkeys((name, category) for (name, _text), category in texts.items())
    }
    codings = []
    for response in Response.objects.filter(campaign=campaign).order_by("pk"):
        for name, value in response.data["answers"].items():
            for item, text in enumerate(value if isinstance(value, list) else []):
                category = texts.get((name, text))
                if category:
                    codings.append(
                        Coding(
                            response=response,
                            field=name,
                            item=item,
                            category=categories[(name, category)],
                        )
                    )
    Coding.objects.bulk_create(codings)


def load_study_campaigns(network: Network, data: dict | None = None) -> list[Campaign]:
    """The three campaigns of the study with their responses and codings."""
    data = data or study_data()
    questionnaires = services.questionnaire_load_defaults()
    tz = timezone.get_current_timezone()
    study = data["study"]
    campaigns = []
    for group in data["campaigns"]:
        campaign = Campaign.objects.create(
            network=network,
            questionnaire=questionnaires[group["audience"]],
            title=group["title"],
            audience=group["audience"],
            opens_at=datetime.combine(study["opens"], datetime.min.time(), tz).replace(hour=8),
            closes_at=datetime.combine(study["closes"], datetime.min.time(), tz).replace(hour=16),
        )
        campaign = services_campaigns.campaign_record_past(campaign=campaign)
        raws, texts = study_answers(group)
        paper_every = int(group.get("paper_every") or 0)
        for i, raw in enumerate(raws):
            services.response_submit(
                campaign=campaign,
                raw=raw,
                submission_key=f"study-{campaign.pk}-{i}",
                channel=Channel.PAPER if paper_every and i % paper_every == 0 else Channel.ONLINE,
                check_open=False,
            )
        Response.objects.filter(campaign=campaign).update(submitted_on=study["submitted"])
        _code(campaign, texts)
        campaigns.append(campaign)
    return campaigns


def load_study_evaluation(
    network: Network, campaigns: list[Campaign], *, published_by=None, data: dict | None = None
) -> Evaluation:
    """The evaluation of the study: its findings, deficiencies and conclusion; published by
    ``published_by`` (the animator) when given."""
    spec = (data or study_data())["evaluation"]
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(name__in=[d["obliged"] for d in spec["deficiencies"]])
    }
    start, end = spec["period"]
    findings = []
    for item in spec["findings"]:
        band = item.get("band") or [None, None]
        findings.append(
            Finding(
                kind=item["kind"],
                audience=item.get("audience", ""),
                text=item["text"],
                share=Decimal(str(item["share"])) if item.get("share") is not None else None,
                band_low=band[0],
                band_high=band[1],
            )
        )
    evaluation = evaluation_services.evaluation_save(
        network=network,
        evaluation=Evaluation(
            title=spec["title"],
            period_start=start,
            period_end=end,
            method=spec["method"],
            evaluators=spec["evaluators"],
            aim=spec["aim"],
            conclusion=spec["conclusion"],
            completed_on=spec["completed_on"],
        ),
        campaigns=campaigns,
        interviews=list(Interview.objects.filter(network=network)),
        findings=findings,
        deficiencies=[
            Deficiency(text=d["text"], obliged=organisations[d["obliged"]], deadline=d["deadline"])
            for d in spec["deficiencies"]
        ],
    )
    if published_by is not None:
        evaluation = evaluation_services.evaluation_publish(evaluation=evaluation, by=published_by)
    return evaluation


def load_study(network: Network, *, published_by=None) -> Evaluation | None:
    """The whole study, once: nothing is done when the network already has campaigns."""
    if Campaign.objects.filter(network=network).exists():
        return None
    data = study_data()
    campaigns = load_study_campaigns(network, data)
    return campaigns and load_study_evaluation(
        network, campaigns, published_by=published_by, data=data
    )

"""Step: an LSR in each gmina, under its voivodeship's RSR, with the KIS hub tasks."""

import random
from datetime import timedelta

from ksr_portal.seed.national.bulk import _bulk, _bulk_keep, _clamp, _gmina_label
from ksr_portal.seed.national.plans import LsrPlan, State
from ksr_portal.seed.national.vocabulary import (
    FIRST_NAMES,
    GOALS,
    LAST_NAMES,
    MISSIONS,
    RHYTHMS,
    VISIONS,
)
from networks.models import (
    ActKind,
    AgreementStatus,
    HubTask,
    HubTaskKind,
    LegalForm,
    Network,
    Stage,
    TaskStatus,
    Tier,
    Variant,
)
from networks.services.networks import rsr_ensure
from stakeholders.models import Gmina


class NetworkSteps(State):
    def networks(self) -> int:
        gminas = Gmina.objects.select_related("county__voivodeship").order_by("code")
        if self.gmina_limit is not None:
            gminas = gminas[: self.gmina_limit]
        gminas = list(gminas)
        rsrs = {}
        for gmina in gminas:
            voivodeship = gmina.county.voivodeship
            if voivodeship.code not in rsrs:
                rsrs[voivodeship.code] = rsr_ensure(voivodeship=voivodeship)
        networks = []
        for gmina in gminas:
            rng = random.Random(f"{self.seed}:{gmina.code}")
            founded_on = self.today - timedelta(days=rng.randint(45, 9 * 365))
            age = (self.today - founded_on).days / 365
            maturity = _clamp(age / 6 + rng.uniform(-0.25, 0.25), 0.02, 0.98)
            roll = rng.random()
            signed = (
                AgreementStatus.SIGNED
                if roll < 0.70
                else AgreementStatus.CONSULTATION
                if roll < 0.85
                else AgreementStatus.DRAFT
            )
            plan = LsrPlan(
                gmina=gmina, rng=rng, founded_on=founded_on, maturity=maturity, signed=signed
            )
            label = _gmina_label(gmina)
            if signed == AgreementStatus.SIGNED:
                stage = rng.choices(
                    [Stage.AGREEMENT, Stage.OPERATING, Stage.EVALUATED],
                    weights=[1.2 - maturity, 1.0, maturity],
                )[0]
            else:
                stage = rng.choice([Stage.INITIATION, Stage.WORKING_GROUP])
            administrative = rng.random() < 0.6
            act_date = founded_on - timedelta(days=rng.randint(5, 40))
            goals = rng.sample(GOALS, rng.randint(2, 4))
            plan.network = Network(
                tier=Tier.LSR,
                name=f"Lokalna Sieć Reintegracji – {label}",
                gmina_id=gmina.pk,
                teryt_code=gmina.code,
                parent_id=rsrs[gmina.code[:2]].pk,
                variant=Variant.ADMINISTRATIVE if administrative else Variant.CIVIC,
                act_kind=rng.choice(list(ActKind)) if administrative else "",
                act_number=(
                    f"{rng.choice(['XII', 'XX', 'XXIV', 'VII'])}/{rng.randint(10, 250)}"
                    f"/{act_date.year}"
                    if administrative
                    else ""
                ),
                act_date=act_date if administrative else None,
                initiators=(
                    ""
                    if administrative
                    else f"Liderzy lokalni: {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, "
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                ),
                stage=stage,
                vision=rng.choice(VISIONS).format(g=label.capitalize()),
                mission=rng.choice(MISSIONS),
                main_goal="Wspieranie rozwoju lokalnego dla ograniczenia bezrobocia i ubóstwa.",
                specific_goals="\n".join(goals),
                legal_form=(
                    LegalForm.AGREEMENT if signed == AgreementStatus.SIGNED else LegalForm.INFORMAL
                ),
                seat=gmina.name,
                meeting_rhythm=rng.choice(RHYTHMS),
                founded_on=founded_on,
            )
            networks.append(plan.network)
            self.plans.append(plan)
        _bulk_keep(Network, networks)
        return len(networks)

    def hub_tasks(self) -> int:
        def rows():
            for plan in self.plans:
                for kind in HubTaskKind:
                    roll = plan.rng.random() - plan.maturity * 0.6
                    status = (
                        TaskStatus.DONE
                        if roll < 0.0
                        else TaskStatus.IN_PROGRESS
                        if roll < 0.45
                        else TaskStatus.TODO
                    )
                    yield HubTask(network_id=plan.network.pk, kind=kind, status=status)

        return _bulk(HubTask, rows())

"""Step: a launched survey campaign per LSR with responses drawn from validated answers."""

import random
from datetime import datetime, timedelta
from datetime import time as dtime

from ksr_portal.seed.national.bulk import _bulk, _bulk_keep, _gmina_label, _random_day
from ksr_portal.seed.national.plans import State
from ksr_portal.seed.national.vocabulary import Q1_OPTIONS, SURVEY_ITEMS, SURVEY_TEXTS
from surveys import engine
from surveys.models import Audience, Campaign, Channel, Response


class SurveySteps(State):
    def _answer_pool(self, size: int = 240) -> list[dict]:
        """Answer templates validated by the survey engine, so Response.data has its format."""
        rng = random.Random(f"{self.seed}:answers")
        items = SURVEY_ITEMS
        pool = []
        while len(pool) < size:
            raw: dict = {"q1": rng.sample(Q1_OPTIONS, rng.choice([1, 1, 1, 2]))}
            if any("wskaż" in o for o in raw["q1"]):
                raw["q1_other"] = "Powiatowe Centrum Pomocy Rodzinie"

            def listed(prefix: str, key: str, at_least: int = 1, raw=raw) -> None:
                for i, text in enumerate(rng.sample(items[key], rng.randint(at_least, 3)), 1):
                    raw[f"{prefix}{i}"] = text

            raw["q2"] = rng.choice(["yes", "yes", "no"])
            if raw["q2"] == "yes":
                listed("q2_f", "goals")
                raw["q3"] = rng.choice(["yes", "no"])
                if raw["q3"] == "no":
                    raw["q3_f"] = rng.choice(SURVEY_TEXTS["not_signatory"])
                raw["q4"] = rng.choice(["yes", "yes", "no"])
                listed("q4_f", "projects" if raw["q4"] == "yes" else "failures")
            raw["q5"] = rng.choice(["yes", "yes", "yes", "no"])
            if raw["q5"] == "yes":
                listed("q5_f", "institutions")
            else:
                raw["q5_f"] = rng.choice(SURVEY_TEXTS["no_partnership"])
            listed("q6_", "actions")
            raw["q7"] = rng.choice(["yes", "no"])
            listed("q8_", "statutory")
            raw["q9"] = rng.choice(["yes", "yes", "no"])
            if raw["q9"] == "yes":
                listed("q9_f", "areas")
            else:
                raw["q9_f"] = rng.choice(SURVEY_TEXTS["cannot_join"])
            raw["q10"] = rng.choice(SURVEY_TEXTS["features"])
            listed("q11_", "topics")
            result = engine.validate(self.schema, raw)
            if result.is_valid:
                pool.append({"asked": result.asked, "answers": result.answers})
        return pool

    def surveys(self) -> int:
        """One launched campaign per LSR on the default questionnaire, with its responses."""
        campaigns = []
        for plan in self.plans:
            rng = plan.rng
            still_open = rng.random() < 0.1
            if still_open:
                opens = self.today - timedelta(days=rng.randint(1, 10))
            else:
                opens = _random_day(
                    rng, plan.founded_on, max(plan.founded_on, self.today - timedelta(days=30))
                )
            opens_at = datetime.combine(opens, dtime(8, 0), self.tz)
            campaign = Campaign(
                network_id=plan.network.pk,
                questionnaire_id=self.questionnaire.pk,
                title=f"Diagnoza partnerskiej współpracy – {_gmina_label(plan.gmina)}",
                audience=rng.choice(list(Audience)),
                opens_at=opens_at,
                closes_at=opens_at + timedelta(days=rng.choice([7, 14, 21]), hours=8),
                anonymous=True,
                schema=self.schema,
                launched_at=opens_at - timedelta(days=1),
            )
            campaign._rng = rng
            campaigns.append(campaign)
        _bulk_keep(Campaign, campaigns)
        self.report_extra["survey campaigns"] = len(campaigns)
        pool = self._answer_pool()

        def rows():
            for campaign in campaigns:
                rng = campaign._rng
                first = campaign.opens_at.date()
                last = min(campaign.closes_at.date(), self.today)
                for _ in range(self.responses):
                    roll = rng.random()
                    yield Response(
                        campaign_id=campaign.pk,
                        channel=(
                            Channel.ONLINE
                            if roll < 0.75
                            else Channel.EMAIL
                            if roll < 0.9
                            else Channel.PAPER
                        ),
                        data=pool[rng.randrange(len(pool))],
                        submitted_on=_random_day(rng, first, last),
                    )

        return _bulk(Response, rows())

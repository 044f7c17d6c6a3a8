"""The plan of one LSR (decided before anything is written), the report, and what the steps share."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime

from networks.models import MemberRole, Membership, Network
from procedures.models import Card, CardTemplate, Meeting
from stakeholders.models import ContactPerson, Gmina, Organisation


@dataclass
class MemberPlan:
    org: Organisation
    role: str = MemberRole.MEMBER
    joined_on: date | None = None
    left_on: date | None = None
    contact: ContactPerson | None = None
    membership: Membership | None = None
    is_ops: bool = False
    shared: bool = False  # a supra-local organisation (the county PUP) joining several LSRs


@dataclass
class LsrPlan:
    gmina: Gmina
    rng: random.Random
    founded_on: date
    maturity: float
    signed: str  # agreement status of the task partnership
    network: Network | None = None
    members: list[MemberPlan] = field(default_factory=list)
    main: MemberPlan | None = None
    ops: MemberPlan | None = None
    contacts: list[ContactPerson] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0


class _Phases:
    def __init__(self, report: Report, log: Callable[[str], None]):
        self.report = report
        self.log = log

    def run(self, name: str, func: Callable[[], int | None]):
        started = time.perf_counter()
        rows = func()
        elapsed = time.perf_counter() - started
        self.report.timings[name] = elapsed
        if rows is not None:
            self.report.counts[name] = rows
        suffix = f"{rows:>9,} rows" if rows is not None else ""
        self.log(f"  {name:<28} {elapsed:8.2f} s {suffix}".rstrip())


class State:
    """What the steps of the generator share (set up by `NationalDataset`)."""

    gmina_limit: int | None
    members: int
    responses: int
    seed: int
    log: Callable[[str], None]
    today: date
    now: datetime
    tz: object
    plans: list[LsrPlan]
    templates: dict[int, CardTemplate]
    template_activities: dict[int, list[tuple[int, str]]]
    card_rows: list[tuple[Card, LsrPlan, MemberPlan]]
    pups: dict[str, MemberPlan]
    questionnaire: object
    schema: dict
    report_extra: dict[str, int]

    def _at(self, day: date, hour: int = 12, minute: int = 0) -> datetime:
        moment = datetime.combine(day, dtime(hour, minute), tzinfo=self.tz)
        return min(moment, self.now)

"""Step: a task partnership per LSR with its partners and their contributions."""

from datetime import timedelta
from decimal import Decimal

from ksr_portal.seed.national.bulk import _bulk, _bulk_keep, _gmina_label
from ksr_portal.seed.national.plans import State
from ksr_portal.seed.national.vocabulary import ROLES_IN_PARTNERSHIP
from networks.models import AgreementStatus, ContributionKind, Partnership, PartnershipMember


class PartnershipSteps(State):
    def partnerships(self) -> int:
        partnerships, partners = [], []
        for plan in self.plans:
            rng = plan.rng
            starts = plan.founded_on + timedelta(days=rng.randint(10, 120))
            signed_on = None
            if plan.signed == AgreementStatus.SIGNED:
                signed_on = min(starts, self.today)
                starts = signed_on
            partnership = Partnership(
                network_id=plan.network.pk,
                name=f"Partnerstwo na rzecz reintegracji – {_gmina_label(plan.gmina)}",
                goal="Wspólne zajęcia reintegracji społecznej i zawodowej dla mieszkańców.",
                leader_id=plan.main.org.pk,
                starts_on=starts,
                ends_on=starts + timedelta(days=rng.choice([730, 1095, 1460])),
                agreement_status=plan.signed,
                signed_on=signed_on,
            )
            partnerships.append(partnership)
            active = [m for m in plan.members if m.left_on is None and m is not plan.main]
            chosen = [plan.main, *rng.sample(active, min(len(active), rng.randint(2, 6)))]
            for member in chosen:
                kind = rng.choice(list(ContributionKind))
                amount = None
                if kind == ContributionKind.FUNDS:
                    amount = Decimal(rng.randint(5, 200) * 500)
                elif kind == ContributionKind.STAFF_HOURS:
                    amount = Decimal(rng.randint(10, 400))
                partners.append(
                    (
                        partnership,
                        PartnershipMember(
                            organisation_id=member.org.pk,
                            role=(
                                "lider partnerstwa"
                                if member is plan.main
                                else rng.choice(ROLES_IN_PARTNERSHIP)
                            ),
                            contribution_kind=kind,
                            contribution=f"{ContributionKind(kind).label} na potrzeby LSR",
                            amount=amount,
                        ),
                    )
                )
        _bulk_keep(Partnership, partnerships)
        for partnership, partner in partners:
            partner.partnership_id = partnership.pk
        self.report_extra["partnership partners"] = _bulk(
            PartnershipMember, (p for _, p in partners)
        )
        return len(partnerships)

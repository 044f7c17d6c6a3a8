from django.core.management.base import BaseCommand

from ksr_portal.evaluations.notifications import remind_deficiencies
from procedures.notifications import remind_monitoring_terms, remind_overdue_activities


class Command(BaseCommand):
    help = (
        "Daily sweep: notify overdue activities, monitoring terms due within 7 days and "
        "deficiency deadlines 7 days away (each told once). Run before send_digests."
    )

    def handle(self, *args, **options):
        activities = remind_overdue_activities()
        terms = remind_monitoring_terms()
        deficiencies = remind_deficiencies()
        self.stdout.write(
            f"overdue activities: {activities}, monitoring terms: {terms}, "
            f"deficiencies: {deficiencies}"
        )

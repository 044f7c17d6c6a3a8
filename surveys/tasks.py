"""Background work of the surveys app (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from .services import campaigns as services_campaigns


@task()
def send_invitations(campaign_pk: int, base_url: str, reminder: bool = False) -> int:
    """Send a campaign's due invitations (or reminders to non-respondents) in batches.
    `base_url` (scheme and host of the portal) makes the personal links absolute."""
    return services_campaigns.invitations_deliver(
        campaign_pk=campaign_pk, base_url=base_url, reminder=reminder
    )

"""Background work of notifications (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from . import email


@task()
def deliver(notification_ids: list[int]) -> int:
    """E-mail the given notifications to those who want them at once."""
    return email.deliver_now(notification_ids)

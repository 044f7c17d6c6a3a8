"""Background work of printing (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from .jobs import document_job_run


@task()
def render_document(job_pk: int) -> str:
    """Render a large document of a DocumentJob and store it for download."""
    return document_job_run(job_pk)

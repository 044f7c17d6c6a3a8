"""Background e-mails of accounts (django-tasks; `manage.py db_worker` runs it)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from ksr_portal.core.ical import absolute

from .models import Invitation
from .tokens import encode_pk, invitation_token


def send_mail(to: str, subject: str, template: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"portal_url": settings.PORTAL_URL, **context}
        text = render_to_string(f"accounts/email/{template}.txt", context)
        html = render_to_string(f"accounts/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_invitation(invitation_pk: int) -> bool:
    """The invitation e-mail with the one-time link of its latest sending."""
    invitation = (
        Invitation.objects.select_related("invited_by", "voivodeship", "organisation")
        .filter(pk=invitation_pk, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    from .invitations import describe_target, target_of

    link = absolute(
        reverse(
            "accounts:invitation_accept",
            args=[encode_pk(invitation.pk), invitation_token.make_token(invitation)],
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        scope = describe_target(target_of(invitation))
    send_mail(
        invitation.email,
        "Zaproszenie do Portalu KSR",
        "invitation",
        {"invitation": invitation, "link": link, "scope": scope},
    )
    return True


@task()
def send_deactivation_notice(user_pk: int) -> bool:
    user = get_user_model()._default_manager.filter(pk=user_pk).first()
    if user is None or not user.email:
        return False
    send_mail(user.email, "Portal KSR: konto nieaktywne", "deactivated", {"user": user})
    return True


@task()
def send_email_change(user_pk: int, new_email: str, token: str) -> bool:
    user = get_user_model()._default_manager.filter(pk=user_pk).first()
    if user is None:
        return False
    link = absolute(reverse("accounts:email_confirm", args=[token]))
    send_mail(
        new_email,
        "Portal KSR: potwierdź nowy adres e-mail",
        "email_change",
        {"user": user, "link": link, "new_email": new_email},
    )
    return True

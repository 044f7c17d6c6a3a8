"""Self-service: profile, e-mail change confirmed by e-mail, and the pages' access rules."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from ksr_portal.accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CONFIRM = re.compile(r"http://[^/\s]+(/konto/e-mail/\S+/)")


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """The test's transaction never commits: run what services defer to the commit at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def test_profile_saves_name_and_phone_and_refuses_a_bad_phone(client, personas):
    user = personas["partner"]
    client.force_login(user)
    url = reverse("accounts:profile")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"first_name": "Ewa", "last_name": "Lis", "phone": "+48 601 234 567"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ewa", "Lis")
    assert Profile.objects.get(user=user).phone == "+48 601 234 567"
    bad = client.post(url, {"first_name": "Ewa", "last_name": "Lis", "phone": "zadzwoń"})
    assert bad.status_code == 200
    assert "Podaj numer telefonu" in str(bad.context["form"].errors["phone"])


def test_email_change_waits_for_the_link_sent_to_the_new_address(client, territory):
    user = UserFactory(username="ala@example.org", email="ala@example.org")
    client.force_login(user)
    response = client.post(reverse("accounts:email_change"), {"email": "Ala.Nowa@Example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "ala@example.org"  # nothing changes before the link is opened
    [message] = mail.outbox
    assert message.to == ["ala.nowa@example.org"]
    path = CONFIRM.search(message.body).group(1)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    user.refresh_from_db()
    assert user.email == "ala.nowa@example.org"
    assert user.username == "ala.nowa@example.org"
    # the link is used up: the old address no longer matches
    assert client.post(path).status_code == 400


def test_email_change_bad_inputs(client, personas):
    user = personas["partner"]
    client.force_login(user)
    taken = client.post(reverse("accounts:email_change"), {"email": personas["rops"].email})
    assert taken.status_code == 400
    assert "inne konto" in str(taken.context["email_form"].errors)
    invalid = client.post(reverse("accounts:email_change"), {"email": "nie-adres"})
    assert invalid.status_code == 400
    assert not mail.outbox
    assert client.post("/konto/e-mail/zmyslony/").status_code == 400


def test_self_service_pages_need_a_login(client):
    for name in ("accounts:profile", "accounts:calendar", "notifications:list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/konto/logowanie/" in response.url

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


@pytest.mark.parametrize(
    "persona,landing",
    [
        ("animator", "/moje-lsr/"),
        ("rops", "/pulpit/region/06/"),
        ("ksr", "/pulpit/kraj/"),
        ("partner", "/moje-zadania/"),
        ("admin", "/administracja/"),
    ],
)
def test_each_role_lands_on_its_home_page(client, personas, persona, landing):
    response = client.post(
        reverse("login"),
        {"username": personas[persona].username, "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_wrong_password_gives_a_polish_message_and_keeps_the_user_name(client, personas):
    response = client.post(reverse("login"), {"username": "anim", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Niepoprawna nazwa użytkownika lub hasło" in body
    assert 'value="anim"' in body


def test_lockout_after_five_failures(client, personas):
    for _ in range(5):
        client.post(reverse("login"), {"username": "anim", "password": "nope"})
    response = client.post(reverse("login"), {"username": "anim", "password": PASSWORD})
    assert response.status_code == 429
    assert "Konto tymczasowo zablokowane" in response.content.decode()


def test_logout_requires_post(client, personas):
    client.force_login(personas["ksr"])
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("ksr_portal:country")).status_code == 302


def test_password_change(client, personas):
    client.force_login(personas["ksr"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nowe-Haslo-2026!",
            "new_password2": "Nowe-Haslo-2026!",
        },
    )
    assert response.status_code == 302
    personas["ksr"].refresh_from_db()
    assert personas["ksr"].check_password("Nowe-Haslo-2026!")


def test_password_reset_sends_polish_email(client, personas):
    response = client.post(reverse("password_reset"), {"email": personas["ksr"].email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Portal KSR" in mail.outbox[0].subject
    assert "/konto/reset/" in mail.outbox[0].body


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")

import pytest
from django.core.management import call_command
from django.urls import reverse

from ksr_portal.seed.demo import DEMO_PASSWORD, load_demo
from stakeholders.models import User
from stakeholders.roles import Role

pytestmark = pytest.mark.django_db


def test_audit_history_shows_before_and_after(client, personas):
    admin = personas["admin"]
    client.force_login(admin)
    target = personas["rops"]
    target.first_name = "Zofia"
    target.save()
    body = client.get(reverse("ksr_portal:audit_log")).content.decode()
    assert "Historia zmian" in body
    assert "Jan → Zofia" in body


def test_audit_history_is_for_administrators_only(client, personas):
    client.force_login(personas["ksr"])
    assert client.get(reverse("ksr_portal:audit_log")).status_code == 403


def test_django_admin_is_polish_and_lists_users(client, personas):
    client.force_login(personas["admin"])
    body = client.get("/django-admin/stakeholders/user/").content.decode()
    assert "Użytkownicy" in body or "użytkownik" in body
    assert "anim" in body
    history = client.get(f"/django-admin/stakeholders/user/{personas['rops'].pk}/history/")
    assert history.status_code == 200


def test_load_demo_is_idempotent_and_uses_invented_people():
    call_command("load_teryt")
    load_demo()
    load_demo()
    assert User.objects.count() == 5
    animator = User.objects.get(username="animator")
    assert animator.check_password(DEMO_PASSWORD)
    assert list(animator.gminas.values_list("name", flat=True)) == ["Żmudź"]
    rops = User.objects.get(username="rops")
    assert rops.role == Role.ROPS and rops.voivodeship.code == "06"
    assert User.objects.get(username="admin").is_superuser


def test_audit_log_queries_do_not_grow_with_the_changes_shown(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas["admin"])
    url = reverse("ksr_portal:audit_log")
    target = personas["rops"]
    target.first_name = "A"
    target.save()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        target.first_name = f"Imię{i}"
        target.save()
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "Imię13 → Imię14" in body
    assert len(many.captured_queries) == len(few.captured_queries)

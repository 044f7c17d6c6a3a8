"""Demo data for `make run` and manual testing. Persons are invented; organisations are real names
from the source documents. Idempotent: every object is looked up by a natural key first."""

from django.contrib.auth import get_user_model
from django.db import transaction

from stakeholders.models import Gmina, Voivodeship
from stakeholders.roles import Role
from stakeholders.services import teryt_load

DEMO_PASSWORD = "ksr-demo-2026"
ZMUDZ_CODE = "0603142"
LUBELSKIE_CODE = "06"

DEMO_USERS = [
    # username, role, first name, last name (invented persons)
    ("animator", Role.ANIMATOR, "Ewa", "Przykładowa"),
    ("rops", Role.ROPS, "Tomasz", "Wzorcowy"),
    ("ksr", Role.KSR, "Katarzyna", "Próbna"),
    ("partner", Role.PARTNER, "Marek", "Testowy"),
    ("admin", Role.ADMIN, "Anna", "Demonstracyjna"),
]


class DemoSummary(list):
    users: list[str]


@transaction.atomic
def load_demo() -> DemoSummary:
    summary = DemoSummary()
    if not Gmina.objects.filter(code=ZMUDZ_CODE).exists():
        teryt_load()
        summary.append("TERYT register loaded.")
    zmudz = Gmina.objects.get(code=ZMUDZ_CODE)
    lubelskie = Voivodeship.objects.get(code=LUBELSKIE_CODE)
    User = get_user_model()
    for username, role, first, last in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.ksr.localhost",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ROPS:
                user.voivodeship = lubelskie
            if role == Role.ADMIN:
                user.is_staff = True
                user.is_superuser = True
            user.save()
            if role == Role.ANIMATOR:
                user.gminas.add(zmudz)
            summary.append(f"User {username} created.")
    summary.users = [u[0] for u in DEMO_USERS]
    return summary

"""Invitations down the tiers: lifecycle (accept, expire, resend, revoke, withdraw), the scope
never wider than the inviter's, existing addresses, bulk files, and the link's bad inputs."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ksr_portal.accounts import invitations
from ksr_portal.accounts.models import Invitation, InvitationStatus
from ksr_portal.core.notifications.models import Kind, Notification
from stakeholders.models import Organisation
from stakeholders.roles import Role
from tests.builders import make_org

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Zaproszenie-2026!"
LINK = re.compile(r"http://[^/\s]+(/konto/zaproszenie/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """The test's transaction never commits: run what services defer to the commit at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found is not None
    return found.group(1)


def invite(client, inviter, **data):
    client.force_login(inviter)
    return client.post(reverse("accounts:invitation_create"), data)


def accept(client, path, **extra):
    client.logout()
    data = {"first_name": "Anna", "last_name": "Nowak", "password1": PASSWORD}
    data["password2"] = data["password1"]
    data.update(extra)
    return client.post(path, data)


def test_rops_invites_an_animator_who_sets_a_password_and_logs_in(client, personas, territory):
    rops = personas["rops"]
    response = invite(
        client,
        rops,
        email="Anna.Nowak@Gmina.example.pl",
        first_name="Anna",
        last_name="Nowak",
        role=Role.ANIMATOR,
        gminas=[territory["rejowiec"].pk],
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna.nowak@gmina.example.pl"]
    assert "Rejowiec" in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    path = link_in(message)

    page = client.get(path)
    assert page.status_code == 200
    assert accept(client, path).status_code == 302
    user = User.objects.get(email="anna.nowak@gmina.example.pl")
    assert user.role == Role.ANIMATOR
    assert list(user.gminas.values_list("code", flat=True)) == ["0603113"]
    logged_in = client.post(
        reverse("login"), {"username": "anna.nowak@gmina.example.pl", "password": PASSWORD}
    )
    assert logged_in.status_code == 302 and logged_in.url == reverse("home")
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.ACCEPTED
    told = Notification.objects.get(recipient=rops)
    assert told.kind == Kind.INVITATION_ACCEPTED

    # the link is one-time: used again it shows a clear page and makes nothing
    again = accept(client, path)
    assert again.status_code == 410
    assert b'data-problem="used"' in again.content
    assert User.objects.filter(email__iexact="anna.nowak@gmina.example.pl").count() == 1


def test_tampered_link_shows_a_clear_page_and_no_account(client, personas, territory):
    invite(
        client,
        personas["rops"],
        email="x@example.pl",
        role=Role.ANIMATOR,
        gminas=[territory["zmudz"].pk],
    )
    path = link_in(mail.outbox[0])
    tampered = path[:-3] + ("aa/" if not path.endswith("aa/") else "bb/")
    for bad in (tampered, "/konto/zaproszenie/zzz/1-abc/"):
        response = accept(client, bad)
        assert response.status_code == 404
        assert b'data-problem="invalid"' in response.content
        assert "nieprawidłowy".encode() in response.content
    assert not User.objects.filter(email="x@example.pl").exists()


def test_expired_link_then_resend_gives_a_new_link_and_the_old_stops(client, personas, territory):
    invite(
        client,
        personas["rops"],
        email="late@example.pl",
        role=Role.ANIMATOR,
        gminas=[territory["zmudz"].pk],
    )
    old_path = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    eight_days_ago = timezone.now() - timedelta(days=8)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=eight_days_ago)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
    # an expired invitation shows as such; the link (signed at the old sending) no longer works
    client.force_login(personas["rops"])
    listing = client.get(reverse("accounts:invitation_list") + "?status=expired")
    assert b"late@example.pl" in listing.content
    response = accept(client, old_path)
    assert response.status_code in (404, 410)
    assert not User.objects.filter(email="late@example.pl").exists()

    client.force_login(personas["rops"])
    client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 2
    new_path = link_in(mail.outbox[1])
    assert new_path != old_path
    assert accept(client, old_path).status_code in (404, 410)
    assert accept(client, new_path).status_code == 302
    assert User.objects.filter(email="late@example.pl", is_active=True).exists()


def test_token_older_than_seven_days_reads_as_expired(personas, territory, monkeypatch):
    invitation = invitations.invitation_create(
        inviter=personas["rops"],
        email="t@example.pl",
        target=invitations.Target(role=Role.ANIMATOR, gminas=[territory["zmudz"]]),
    )
    token = invitations.invitation_token.make_token(invitation)
    assert invitations.invitation_link_problem(invitation, token) is None
    later = invitations.invitation_token._now() + timedelta(days=7, hours=1)
    monkeypatch.setattr(invitations.invitation_token, "_now", lambda: later)
    assert invitations.invitation_link_problem(invitation, token) == "expired"


def test_revoked_invitation_link_is_refused(client, personas, territory):
    invite(
        client,
        personas["rops"],
        email="rev@example.pl",
        role=Role.ANIMATOR,
        gminas=[territory["zmudz"].pk],
    )
    path = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    response = accept(client, path)
    assert response.status_code == 410
    assert b'data-problem="revoked"' in response.content
    assert not User.objects.filter(email="rev@example.pl").exists()


def test_double_clicked_invitation_sends_once(client, personas, territory):
    data = {"email": "twice@example.pl", "role": Role.ANIMATOR, "gminas": [territory["zmudz"].pk]}
    first = invite(client, personas["rops"], **data)
    second = invite(client, personas["rops"], **data)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "już zaproszona".encode() in second.content
    assert len(mail.outbox) == 1
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("inviter", "data", "field"),
    [
        # a ROPS coordinator of lubelskie cannot give a gmina of mazowieckie
        ("rops", {"role": Role.ANIMATOR, "gminas": ["warsaw"]}, "gminas"),
        # ...nor a role other than animator
        ("rops", {"role": Role.KSR}, "role"),
        # an animator cannot invite a ROPS coordinator
        ("animator", {"role": Role.ROPS}, "role"),
    ],
)
def test_an_invitation_wider_than_the_inviter_is_refused(
    client, personas, territory, inviter, data, field
):
    data = {**data}
    if "gminas" in data:
        data["gminas"] = [territory[g].pk for g in data["gminas"]]
    response = invite(client, personas[inviter], email="wide@example.pl", **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_service_refuses_a_wider_scope_even_without_the_form(personas, territory, full_lsr):
    from django.core.exceptions import ValidationError

    outsider = make_org(territory["warsaw"], name="Organizacja z Warszawy")
    with pytest.raises(ValidationError):
        invitations.invitation_create(
            inviter=personas["animator"],
            email="p@example.pl",
            target=invitations.Target(role=Role.PARTNER, organisation=outsider),
        )
    with pytest.raises(ValidationError):
        invitations.invitation_create(
            inviter=personas["rops"],
            email="p@example.pl",
            target=invitations.Target(role=Role.ANIMATOR, gminas=[territory["warsaw"]]),
        )
    assert not Invitation.objects.exists()


def test_who_may_open_the_invitation_pages(client, personas):
    url = reverse("accounts:invitation_list")
    assert client.get(url).status_code == 302  # anonymous → login
    for name, code in [("partner", 403), ("animator", 200), ("rops", 200), ("admin", 200)]:
        client.force_login(personas[name])
        assert client.get(url).status_code == code, name
    client.force_login(personas["animator"])
    assert client.get(reverse("accounts:invitation_resend", args=[1])).status_code == 302


def test_another_inviters_invitation_answers_404(client, personas, territory):
    invite(
        client,
        personas["rops"],
        email="mine@example.pl",
        role=Role.ANIMATOR,
        gminas=[territory["zmudz"].pk],
    )
    invitation = Invitation.objects.get()
    client.force_login(personas["other_rops"])
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 404
    listing = client.get(reverse("accounts:invitation_list"))
    assert b"mine@example.pl" not in listing.content


def test_an_existing_address_gets_the_scope_added_not_a_second_account(client, personas, territory):
    animator = personas["animator"]
    response = invite(
        client,
        personas["rops"],
        email=animator.email.upper(),
        role=Role.ANIMATOR,
        gminas=[territory["rejowiec"].pk],
    )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=animator.email).count() == 1
    assert set(animator.gminas.values_list("code", flat=True)) == {"0603142", "0603113"}
    notice = Notification.objects.get(recipient=animator, kind=Kind.ACCESS)
    assert "Rejowiec" in notice.title
    assert Invitation.objects.get().status == InvitationStatus.ACCEPTED


def test_animator_invites_a_partner_of_a_member_and_kis_staff(client, personas, full_lsr, kis):
    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    client.force_login(personas["animator"])
    form = client.get(reverse("accounts:invitation_create")).context["form"]
    choices = set(form.fields["organisation"].queryset)
    assert {culture, kis} <= choices
    for email, org in [("gck@example.pl", culture), ("kis@example.pl", kis)]:
        response = invite(
            client, personas["animator"], email=email, role=Role.PARTNER, organisation=org.pk
        )
        assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_withdrawing_the_last_scope_deactivates_the_account_with_a_notice(
    client, personas, territory
):
    invite(
        client,
        personas["rops"],
        email="only@example.pl",
        role=Role.ANIMATOR,
        gminas=[territory["zmudz"].pk],
    )
    accept(client, link_in(mail.outbox[0]))
    user = User.objects.get(email="only@example.pl")
    invitation = Invitation.objects.get()
    client.force_login(personas["rops"])
    client.post(reverse("accounts:access_withdraw", args=[invitation.pk]))
    user.refresh_from_db()
    assert not user.is_active
    assert not user.gminas.exists()
    notice = mail.outbox[-1]
    assert notice.to == ["only@example.pl"]
    assert "dezaktywowane" in notice.body


def test_withdrawing_one_of_two_scopes_keeps_the_account(client, personas, territory):
    animator = personas["animator"]
    invite(
        client,
        personas["rops"],
        email=animator.email,
        role=Role.ANIMATOR,
        gminas=[territory["rejowiec"].pk],
    )
    invitation = Invitation.objects.get()
    client.post(reverse("accounts:access_withdraw", args=[invitation.pk]))
    animator.refresh_from_db()
    assert animator.is_active
    assert list(animator.gminas.values_list("code", flat=True)) == ["0603142"]


def _csv(rows: list[str]) -> io.BytesIO:
    content = io.BytesIO("\n".join(rows).encode("utf-8"))
    content.name = "zaproszenia.csv"
    return content


def test_bulk_file_preview_shows_row_errors_and_sends_only_after_confirming(
    client, personas, territory
):
    client.force_login(personas["rops"])
    upload = _csv(
        [
            "e-mail;imię;nazwisko;gmina",
            "a@zmudz.example.pl;Anna;A;0603142",
            "b@rejowiec.example.pl;Bogdan;B;0603113",
            "nie-adres;Cezary;C;0603142",
            "d@warszawa.example.pl;Dorota;D;1465011",
            "a@zmudz.example.pl;Anna;A;0603142",
            "e@example.pl;Ewa;E;9999999",
        ]
    )
    preview = client.post(reverse("accounts:invitation_bulk"), {"file": upload})
    assert preview.status_code == 200
    rows = {row.number: row for row in preview.context["rows"]}
    assert rows[2].is_valid and rows[3].is_valid
    assert "Podaj prawidłowy adres e-mail." in rows[4].errors
    assert any("poza Twoim zakresem" in e for e in rows[5].errors)
    assert any("wierszu 2" in e for e in rows[6].errors)
    assert any("9999999" in e for e in rows[7].errors)
    assert not mail.outbox and not Invitation.objects.exists()

    nonce = preview.context["nonce"]
    url = reverse("accounts:invitation_bulk_confirm")
    assert client.post(url, {"nonce": nonce}).status_code == 302
    assert client.post(url, {"nonce": nonce}).status_code == 302  # a double click
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@zmudz.example.pl",
        "b@rejowiec.example.pl",
    ]
    assert Invitation.objects.count() == 2


def test_bulk_file_without_the_needed_columns_is_explained(client, personas):
    client.force_login(personas["rops"])
    response = client.post(
        reverse("accounts:invitation_bulk"), {"file": _csv(["nazwa;kolor", "x;y"])}
    )
    assert response.status_code == 200
    assert "brakuje wymaganych kolumn" in str(response.context["form"].errors["file"])


def test_bulk_xlsx_by_an_animator_names_organisations_by_nip(client, personas, full_lsr):
    from openpyxl import Workbook

    culture = Organisation.objects.get(name="Gminne Centrum Kultury")
    culture.nip = "7251801126"
    culture.save()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "Imię", "Nazwisko", "Organizacja"])
    sheet.append(["jan@gck.example.pl", "Jan", "K", "725-180-11-26"])
    sheet.append(["ola@firma.example.pl", "Ola", "F", "Firma Lokalna"])
    sheet.append(["x@example.pl", "X", "Y", "Nieznana"])
    content = io.BytesIO()
    workbook.save(content)
    content.seek(0)
    content.name = "partnerzy.xlsx"
    client.force_login(personas["animator"])
    preview = client.post(reverse("accounts:invitation_bulk"), {"file": content})
    valid = [r.email for r in preview.context["rows"] if r.is_valid]
    assert valid == ["jan@gck.example.pl", "ola@firma.example.pl"]
    client.post(reverse("accounts:invitation_bulk_confirm"), {"nonce": preview.context["nonce"]})
    assert {i.organisation.name for i in Invitation.objects.all()} == {
        "Gminne Centrum Kultury",
        "Firma Lokalna",
    }


def test_invitation_list_queries_do_not_grow(
    client, personas, territory, django_assert_max_num_queries
):
    for n in range(6):
        invitations.invitation_create(
            inviter=personas["rops"],
            email=f"n{n}@example.pl",
            target=invitations.Target(role=Role.ANIMATOR, gminas=[territory["zmudz"]]),
        )
    client.force_login(personas["rops"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:invitation_list"))
    assert response.content.count(b'id="invitation-') == 6

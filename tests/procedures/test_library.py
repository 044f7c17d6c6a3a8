"""The LSR library (Gminna Biblioteczka LSR, card 7): uploads, search, scoped downloads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Membership
from networks.services import networks as network_services
from procedures.files import MAX_UPLOAD_BYTES
from procedures.models import DocumentCategory, LibraryDocument
from procedures.services import library as services
from stakeholders.models import Organisation
from stakeholders.roles import Role
from tests.builders import make_lsr, make_org
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="porozumienie.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def cast(full_lsr, personas, territory):
    culture = Organisation.objects.get(memberships__network=full_lsr, name="Gminne Centrum Kultury")
    outsider = make_org(territory["zmudz"], "C", name="Biblioteka spoza LSR")
    return {
        "lsr": full_lsr,
        "culture": culture,
        "animator": personas["animator"],
        "member": UserFactory(username="member1", role=Role.PARTNER, organisation=culture),
        "non_member": UserFactory(username="outsider1", role=Role.PARTNER, organisation=outsider),
        "other_lsr": make_lsr(personas["admin"], territory["warsaw"]),
    }


def upload(cast, user=None, network=None, **fields):
    return services.document_upload(
        user=user or cast["animator"],
        network=network or cast["lsr"],
        title=fields.get("title", "Porozumienie o współpracy"),
        category=fields.get("category", DocumentCategory.AGREEMENTS),
        description=fields.get("description", ""),
        upload=fields.get("file") or pdf(),
    )


# --- rules ------------------------------------------------------------------------------------


def test_member_uploads_and_file_is_stored_under_a_random_name(cast, media):
    document = upload(cast, user=cast["member"], file=pdf("Plan działań 2026.pdf"))
    assert document.original_name == "Plan działań 2026.pdf"
    assert document.size == len(PDF)
    assert document.uploaded_by == cast["member"]
    assert document.file.name.startswith(f"library/{cast['lsr'].pk}/")
    assert "Plan" not in document.file.name and document.file.name.endswith(".pdf")
    assert (media / document.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("raport.pdf", b"This is plain text pretending to be a PDF."),
        ("zdjecie.png", PDF),
        ("pusty.pdf", b""),
    ],
)
def test_wrong_files_are_refused(cast, name, content):
    with pytest.raises(ValidationError) as exc:
        upload(cast, file=SimpleUploadedFile(name, content))
    assert "file" in exc.value.error_dict
    assert not LibraryDocument.objects.exists()


def test_oversize_file_is_refused(cast):
    big = SimpleUploadedFile("duzy.pdf", b"%PDF" + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError) as exc:
        upload(cast, file=big)
    assert "file" in exc.value.error_dict
    assert not LibraryDocument.objects.exists()


@pytest.mark.parametrize("who", ["rops", "ksr", "partner"])
def test_read_only_roles_and_outsiders_cannot_upload(cast, personas, who):
    with pytest.raises(PermissionDenied):
        upload(cast, user=personas[who])
    with pytest.raises(PermissionDenied):
        upload(cast, user=cast["non_member"])


def test_only_the_animator_deletes(cast, media, django_capture_on_commit_callbacks):
    document = upload(cast, user=cast["member"])
    path = media / document.file.name
    with pytest.raises(PermissionDenied):
        services.document_delete(user=cast["member"], document=document)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(user=cast["animator"], document=document)
    assert not LibraryDocument.objects.exists()
    assert not path.exists()  # the file goes once the deletion is committed


def test_title_and_category_are_required(cast):
    with pytest.raises(ValidationError) as exc:
        upload(cast, title=" ", category="nonsense")
    assert set(exc.value.error_dict) == {"title", "category"}


# --- search -----------------------------------------------------------------------------------


def test_search_in_title_and_description_and_category_filter(client, cast, personas):
    upload(cast, title="Porozumienie LSR", category=DocumentCategory.AGREEMENTS)
    upload(
        cast,
        title="Diagnoza 2026",
        description="Badanie potrzeb seniorów",
        category=DocumentCategory.DIAGNOSES,
    )
    upload(cast, title="Protokół z posiedzenia", category=DocumentCategory.MINUTES)
    upload(
        cast, network=cast["other_lsr"], user=personas["admin"], title="Porozumienie w Warszawie"
    )
    client.force_login(cast["member"])
    url = reverse("procedures:library", args=[cast["lsr"].pk])

    def titles(**params):
        return {d.title for d in client.get(url, params).context["documents"]}

    assert titles() == {"Porozumienie LSR", "Diagnoza 2026", "Protokół z posiedzenia"}
    assert titles(q="porozumienie") == {"Porozumienie LSR"}
    assert titles(q="SENIORÓW") == {"Diagnoza 2026"}
    assert titles(category="minutes") == {"Protokół z posiedzenia"}
    assert titles(q="porozumienie", category="minutes") == set()
    assert titles(category="bogus") == {
        "Porozumienie LSR",
        "Diagnoza 2026",
        "Protokół z posiedzenia",
    }


# --- views ------------------------------------------------------------------------------------


def test_upload_view_by_a_member(client, cast):
    client.force_login(cast["member"])
    url = reverse("procedures:library_upload", args=[cast["lsr"].pk])
    response = client.post(
        url,
        {"title": "Materiały KIS", "category": "services", "description": "", "file": pdf()},
    )
    assert response.status_code == 302
    assert LibraryDocument.objects.get().title == "Materiały KIS"


@pytest.mark.parametrize(
    "file",
    [
        lambda: SimpleUploadedFile("wirus.exe", b"MZ" + b"\x00" * 64),
        lambda: SimpleUploadedFile("tekst.pdf", b"just text, not a PDF"),
        lambda: SimpleUploadedFile("duzy.pdf", b"%PDF" + b"0" * MAX_UPLOAD_BYTES),
    ],
    ids=["exe", "fake-pdf", "oversize"],
)
def test_upload_view_shows_the_file_error(client, cast, file):
    client.force_login(cast["animator"])
    url = reverse("procedures:library_upload", args=[cast["lsr"].pk])
    response = client.post(url, {"title": "X", "category": "other", "file": file()})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not LibraryDocument.objects.exists()


def test_download_is_an_attachment_with_the_original_name(client, cast):
    document = upload(cast, file=pdf("Porozumienie LSR.pdf"))
    client.force_login(cast["member"])
    response = client.get(
        reverse("procedures:library_download", args=[cast["lsr"].pk, document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "Porozumienie" in disposition


def test_download_scoping(client, cast, personas):
    document = upload(cast)
    url = reverse("procedures:library_download", args=[cast["lsr"].pk, document.pk])
    expected = {
        personas["animator"]: 200,
        personas["rops"]: 200,
        personas["ksr"]: 200,
        cast["member"]: 200,
        personas["other_animator"]: 404,
        personas["other_rops"]: 404,
        personas["partner"]: 404,
        cast["non_member"]: 404,
    }
    for user, want in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == want, user.username
    # a document of another LSR through this LSR's URL
    other = upload(cast, user=personas["admin"], network=cast["other_lsr"])
    client.force_login(personas["admin"])
    wrong = reverse("procedures:library_download", args=[cast["lsr"].pk, other.pk])
    assert client.get(wrong).status_code == 404
    # a member whose organisation left no longer reaches the library
    membership = Membership.objects.get(network=cast["lsr"], organisation=cast["culture"])
    network_services.membership_end(membership=membership, left_on=timezone.localdate())
    client.force_login(cast["member"])
    assert client.get(url).status_code == 404


EXPECTED = {
    # persona: (library page, upload page, delete)
    "animator": (200, 200, 302),
    "admin": (200, 200, 302),
    "rops": (200, 403, 403),
    "ksr": (200, 403, 403),
    "member": (200, 200, 403),
    "other_animator": (404, 404, 404),
    "other_rops": (404, 404, 404),
    "partner": (404, 404, 404),
    "non_member": (404, 404, 404),
}


def test_scoping_matrix(client, cast, personas):
    pk = cast["lsr"].pk
    for name, (read, write, delete) in EXPECTED.items():
        user = cast.get(name) or personas[name]
        client.force_login(user)
        document = upload(cast)
        assert client.get(reverse("procedures:library", args=[pk])).status_code == read, name
        assert client.get(reverse("procedures:library_upload", args=[pk])).status_code == write
        got = client.post(reverse("procedures:library_delete", args=[pk, document.pk])).status_code
        assert got == delete, (name, got)
    client.force_login(personas["animator"])
    assert client.get(reverse("procedures:library_delete", args=[pk, 1])).status_code == 405


def test_library_page_shows_delete_only_to_the_animator(client, cast):
    upload(cast)
    url = reverse("procedures:library", args=[cast["lsr"].pk])
    client.force_login(cast["member"])
    body = client.get(url).content.decode()
    assert "/usun/" not in body and "/pobierz/" in body
    assert body.count("<h1") == 1 and " style=" not in body
    client.force_login(cast["animator"])
    assert "/usun/" in client.get(url).content.decode()


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["animator", "member"])
def test_library_has_a_constant_number_of_queries(client, cast, who):
    client.force_login(cast[who])
    url = reverse("procedures:library", args=[cast["lsr"].pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        upload(cast, user=cast["member"] if i % 2 else cast["animator"], title=f"Dok {i}")
    few = count()
    for i in range(3, 20):
        upload(cast, user=cast["member"] if i % 2 else cast["animator"], title=f"Dok {i}")
    assert count() == few

"""Issue 16 item 5: confirming a large import uses bulk writes (queries do not grow with the
rows) and a preview is imported at most once, even when confirmed twice at the same time."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ksr_portal.dashboards.models import LsrSummary
from networks.models import ImportReceipt, Membership, Network
from networks.services.io import AlreadyImported, import_commit, validate_for_network
from networks.services.networks import lsr_create
from networks.views.io import SESSION_KEY
from procedures.models import Card
from stakeholders.imports import parse_table
from stakeholders.models import Organisation

pytestmark = pytest.mark.django_db

HEADER = "nazwa;typ (A/B/C);rodzaj instytucji;sektor;gmina TERYT"


def rows_csv(count: int, start: int = 0) -> bytes:
    lines = [HEADER] + [
        f"Firma Lokalna {i:05d};C;business;business;0603142" for i in range(start, start + count)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


@pytest.fixture
def lsr(personas, territory):
    return lsr_create(
        user=personas["animator"],
        gmina=territory["zmudz"],
        network=Network(name="LSR Żmudź", variant="civic", initiators="Jan Kowalski"),
    )


def preview(client, network, content: bytes) -> str:
    url = reverse("networks:organisation_import", args=[network.pk])
    response = client.post(url, {"file": SimpleUploadedFile("o.csv", content, "text/csv")})
    assert response.status_code == 200
    pending = client.session[SESSION_KEY]
    return next(iter(pending))


def commit_queries(personas, network, count: int, start: int) -> int:
    rows = parse_table(SimpleUploadedFile("o.csv", rows_csv(count, start), "text/csv"))
    results = validate_for_network(network=network, rows=rows)
    with CaptureQueriesContext(connection) as queries:
        report = import_commit(
            network=network, row_results=results, user=personas["animator"], token=f"t{start}"
        )
    assert report.imported_count == count
    return len(queries.captured_queries)


def test_confirm_writes_in_bulk(personas, lsr):
    few = commit_queries(personas, lsr, 5, 0)
    many = commit_queries(personas, lsr, 200, 100)
    assert many == few
    assert Membership.objects.filter(network=lsr).count() == 205
    # every type C member got its cards 11-13, and the dashboards' figures follow
    assert Card.objects.filter(network=lsr, number__in=[11, 12, 13]).count() == 3 * 205
    assert LsrSummary.objects.get(network=lsr).active_c == 205
    # audit records were written for the bulk-created rows
    assert Organisation.history.filter(name="Firma Lokalna 00150").count() == 1


def test_confirming_the_same_preview_twice_imports_nothing_more(client, personas, lsr):
    client.force_login(personas["animator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = preview(client, lsr, rows_csv(20))
    url = reverse("networks:organisation_import", args=[lsr.pk])
    # a double click: the second request still carries the preview (its session was read first)
    session = client.session
    saved = dict(session[SESSION_KEY])
    assert client.post(url, {"token": token}).status_code == 302
    session = client.session
    session[SESSION_KEY] = saved
    session.save()
    response = client.post(url, {"token": token}, follow=True)
    assert "already been confirmed; nothing was imported again" in response.content.decode()
    assert Membership.objects.filter(network=lsr).count() == 20
    assert Organisation.objects.filter(name__startswith="Firma Lokalna").count() == 20
    assert ImportReceipt.objects.get().imported == 20


def test_import_commit_refuses_a_used_token(personas, lsr):
    rows = parse_table(SimpleUploadedFile("o.csv", rows_csv(3), "text/csv"))
    results = validate_for_network(network=lsr, rows=rows)
    import_commit(network=lsr, row_results=results, user=personas["animator"], token="same")
    with pytest.raises(AlreadyImported):
        import_commit(network=lsr, row_results=results, user=personas["animator"], token="same")
    assert Membership.objects.filter(network=lsr).count() == 3


def test_a_thousand_rows_confirm_quickly(client, personas, lsr):
    client.force_login(personas["animator"])
    token = preview(client, lsr, rows_csv(1000))
    started = time.perf_counter()
    response = client.post(reverse("networks:organisation_import", args=[lsr.pk]), {"token": token})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert Membership.objects.filter(network=lsr).count() == 1000
    # the target is 5 s on a quiet machine; the bound leaves room for a shared test machine
    assert elapsed < 15, f"{elapsed:.1f} s"

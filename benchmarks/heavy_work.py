#!/usr/bin/env python3
"""`make bench` (issue 16 item 8): the confirmation of a 1,000-row organisation import and the
render of a ~250-page partnership agreement, on the database of DATABASE_URL (the national data
set). Everything happens in one transaction that is rolled back, so the data set stays as it was.

Prints two lines:
    import_confirm_seconds=<the confirm request> rows=1000 imported=<n> again=<n imported by a
        second confirmation of the same preview>
    agreement_seconds=<render of the LSR agreement> pages=<n> members=<n>
The import goes through the pages like a user (upload → preview → confirm, Django test client in
this process); the agreement is what the agreement view renders.
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

IMPORT_ROWS = 1000
AGREEMENT_MEMBERS = 1040  # ~250 pages
HEADER = "nazwa;typ (A/B/C);rodzaj instytucji;sektor;gmina TERYT"


class Rollback(Exception):
    pass


def _admin():
    from stakeholders.models import User
    from stakeholders.roles import Role

    user, _created = User.objects.get_or_create(
        username="bench-heavy", defaults={"role": Role.ADMIN, "is_staff": True}
    )
    user.role, user.is_superuser, user.is_staff = Role.ADMIN, True, True
    user.save()
    return user


def measure_import(network, user) -> str:
    from networks.models import Membership

    host = (os.environ.get("ALLOWED_HOSTS") or "127.0.0.1").split(",")[0]
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    lines = [HEADER] + [
        f"Firma Benchmarkowa {i:05d};C;business;business;{network.gmina.code}"
        for i in range(IMPORT_ROWS)
    ]
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    url = reverse("networks:organisation_import", args=[network.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("o.csv", content, "text/csv")})
    if preview.status_code != 200:
        raise SystemExit(f"import preview: HTTP {preview.status_code}")
    token = next(iter(client.session["organisation_imports"]))
    saved = dict(client.session["organisation_imports"])
    before = Membership.objects.filter(network=network).count()
    started = time.perf_counter()
    response = client.post(url, {"token": token})
    seconds = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"import confirm: HTTP {response.status_code}")
    imported = Membership.objects.filter(network=network).count() - before
    # the same preview confirmed again (a double click whose session still held the preview)
    session = client.session
    session["organisation_imports"] = saved
    session.save()
    client.post(url, {"token": token})
    again = Membership.objects.filter(network=network).count() - before - imported
    return (
        f"import_confirm_seconds={seconds:.2f} rows={IMPORT_ROWS} imported={imported} again={again}"
    )


def measure_agreement(network) -> str:
    from ksr_portal.core.pdf import render_pdf
    from ksr_portal.printing import agreements
    from networks.models import MemberRole, Membership
    from stakeholders.models import OperatingScope, Organisation

    present = Membership.objects.filter(network=network).active().count()
    missing = max(0, AGREEMENT_MEMBERS - present)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Stowarzyszenie Partnerskie nr {i + 1}",
                stakeholder_type="C",
                institution_kind="ngo",
                sector="ngo",
                gmina=network.gmina,
                operating_scope=OperatingScope.LOCAL,
                street=f"ul. Długa {i + 1}",
                postal_code="22-130",
                city=network.gmina.name,
            )
            for i in range(missing)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                network=network,
                organisation=o,
                role=MemberRole.MEMBER,
                joined_on=timezone.localdate(),
            )
            for o in organisations
        ]
    )
    started = time.perf_counter()
    agreement = agreements.lsr_agreement(network)
    pdf = render_pdf("printing/agreement_pdf.html", {"network": network, "agreement": agreement})
    seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return f"agreement_seconds={seconds:.2f} pages={pages} members={len(agreement.parties)}"


def main() -> int:
    from networks.models import Network

    lines = []
    try:
        with transaction.atomic():
            user = _admin()
            lsrs = Network.objects.lsrs().select_related("gmina").order_by("teryt_code")
            first, second = lsrs[0], lsrs[1]
            lines.append(measure_import(first, user))
            lines.append(measure_agreement(second))
            raise Rollback
    except Rollback:
        pass
    for line in lines:
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The documents page (/dokumenty/) on small sites: constant queries, the registry of printables,
the administration page's link (the demo's roles: test_documents_overview)."""

import pytest
from django.urls import reverse

from ksr_portal.printing import documents as registry
from networks.models import MemberRole
from networks.services import networks as network_services
from stakeholders.models import InstitutionKind, Sector
from tests.builders import make_lsr, make_org
from tests.factories import EvaluationFactory, PartnershipFactory

URL = reverse("printing_batch:overview")


def _lsr_with_members(admin, gmina, name):
    network = make_lsr(admin, gmina, name=name)
    kis = make_org(gmina, "A", InstitutionKind.KIS, Sector.NGO)
    network_services.membership_add(network=network, organisation=kis, role=MemberRole.MAIN_NODE)
    network_services.membership_add(network=network, organisation=make_org(gmina))
    PartnershipFactory(network=network)
    EvaluationFactory(network=network)
    return network


@pytest.mark.django_db
@pytest.mark.parametrize("lsrs", [1, 3])
def test_queries_do_not_grow_with_the_lsrs(
    client, personas, territory, django_assert_max_num_queries, lsrs
):
    admin = personas["admin"]
    for gmina in ["zmudz", "rejowiec", "warsaw"][:lsrs]:
        _lsr_with_members(admin, territory[gmina], f"LSR {gmina}")
    client.force_login(admin)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.content.decode().count('class="card mb-3 lsr-documents"') == lsrs


@pytest.mark.django_db
def test_another_apps_documents_join_through_the_registry(client, personas, monkeypatch):
    from ksr_portal.printing.documents import Printable

    monkeypatch.setattr(registry, "GENERAL_PROVIDERS", list(registry.GENERAL_PROVIDERS))
    registry.register_general_printables(
        lambda user: [Printable("Rekomendacje KSR", "Rekomendacje 2026 (PDF)", "/rekomendacje.pdf")]
    )
    client.force_login(personas["ksr"])
    body = client.get(URL).content.decode()
    assert "Rekomendacje 2026 (PDF)" in body and 'href="/rekomendacje.pdf"' in body


@pytest.mark.django_db
def test_the_administration_page_links_to_it(client, personas):
    client.force_login(personas["admin"])
    body = client.get(reverse("ksr_portal:administration")).content.decode()
    assert f'href="{URL}"' in body

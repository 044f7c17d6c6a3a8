"""The audit history: Polish labels, before → after per field, no dumps, no login noise,
filters, pages, constant queries."""

import datetime

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory
from django.urls import reverse

from tests.builders import make_lsr
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

URL = "ksr_portal:audit_log"


def _table(response):
    body = response.content.decode()
    return body[body.index('id="audit-table"') : body.index("</table>")]


def _partnership(network, **fields):
    return PartnershipFactory(network=network, **fields)


def test_changes_show_polish_labels_and_choices_before_and_after(client, personas, lsr):
    partnership = _partnership(lsr)
    partnership.agreement_status = "consultation"
    partnership.signed_on = datetime.date(2026, 3, 5)
    partnership.save()
    client.force_login(personas["admin"])
    response = client.get(reverse(URL))
    assert "Historia zmian" in response.content.decode()
    body = _table(response)
    # the field's verbose name and the choice's label, in Polish, never the raw value
    assert "Status porozumienia</strong>: projekt → w konsultacjach" in body
    assert "— → 05.03.2026" in body
    assert "{'" not in body and "consultation" not in body


def test_foreign_keys_show_names_not_ids(client, personas, lsr, territory):
    other = make_lsr(personas["admin"], territory["rejowiec"], name="LSR Rejowiec")
    partnership = _partnership(lsr)
    partnership.network = other
    partnership.save()
    client.force_login(personas["admin"])
    body = _table(client.get(reverse(URL), {"object_type": "networks.partnership"}))
    assert f"{lsr.name} → LSR Rejowiec" in body
    assert "{'" not in body and '{"' not in body


def test_json_fields_say_changed_without_a_dump(client, personas, lsr):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(network=lsr)
    campaign.schema = {"questions": [{"number": 1, "text": "Pytanie?"}]}
    campaign.save()
    client.force_login(personas["admin"])
    response = client.get(reverse(URL), {"object_type": "surveys.campaign"})
    [change] = response.context["entries"][0].changes
    assert change.summary_only and change.label == "Zamrożony kwestionariusz"
    body = _table(response)
    assert "Pytanie?" not in body and "{'" not in body and '{"' not in body
    assert "zmieniono" in body


def test_a_login_is_not_a_change(client, personas):
    user = personas["rops"]
    request = RequestFactory().get("/")
    for _ in range(3):
        user_logged_in.send(sender=type(user), request=request, user=user)
    client.force_login(personas["admin"])
    response = client.get(reverse(URL), {"object_type": "stakeholders.user", "object": user.pk})
    entries = response.context["entries"]
    assert [e.action for e in entries] == ["utworzono"]


def test_filters_by_user_type_object_and_date(client, personas, lsr):
    admin = personas["admin"]
    client.force_login(admin)
    partnership = _partnership(lsr)
    personas["rops"].first_name = "Zofia"
    personas["rops"].save()
    url = reverse(URL)
    only_partnerships = client.get(url, {"object_type": "networks.partnership"}).context["entries"]
    assert {e.model_key for e in only_partnerships} == {"networks.partnership"}
    one = client.get(url, {"object_type": "networks.partnership", "object": partnership.pk})
    assert [e.object_id for e in one.context["entries"]] == [partnership.pk]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert client.get(url, {"date_from": tomorrow}).context["entries"] == []
    assert client.get(url, {"user": personas["ksr"].pk}).context["entries"] == []


def test_bad_filter_input_is_explained_not_a_500(client, personas):
    client.force_login(personas["admin"])
    response = client.get(
        reverse(URL), {"date_from": "2026-05-01", "date_to": "2026-04-01", "object_type": "x.y"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "invalid-feedback" in body
    assert 'value="2026-05-01"' in body  # what was typed stays


def test_pages_have_a_unique_order(client, personas, lsr):
    client.force_login(personas["admin"])
    for i in range(60):
        _partnership(lsr, starts_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
    url = reverse(URL)
    first = client.get(url, {"object_type": "networks.partnership"}).context["page"]
    second = client.get(url, {"object_type": "networks.partnership", "page": 2}).context["page"]
    assert first.paginator.count == 60 and len(first.object_list) == 50
    ids = [e.object_id for e in first.object_list] + [e.object_id for e in second.object_list]
    assert len(set(ids)) == 60
    assert "page=2" in client.get(url, {"object_type": "networks.partnership"}).content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_queries_do_not_grow_with_the_changes(
    client, personas, lsr, django_assert_max_num_queries, extra
):
    client.force_login(personas["admin"])
    for i in range(5 + extra):
        p = _partnership(lsr)
        p.agreement_status = "consultation"
        p.save()
        personas["rops"].first_name = f"Imię{i}"
        personas["rops"].save()
    with django_assert_max_num_queries(25):
        response = client.get(reverse(URL))
    assert response.status_code == 200


def test_audit_history_is_for_administrators_only(client, personas):
    for role in ("ksr", "rops", "animator", "partner"):
        client.force_login(personas[role])
        assert client.get(reverse(URL)).status_code == 403

"""Exports of survey responses (CSV, XLSX with a codebook) and the multi-sheet XLSX helper."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ksr_portal.core.exports import workbook_response
from surveys.models import Audience
from surveys.services import coding as services_coding
from tests.builders import launched_campaign

from .test_results import TITLE, english, respond  # noqa: F401 – english is a fixture

pytestmark = pytest.mark.django_db

Q1_OPTIONS = 12
EXPECTED_COLUMNS = (
    ["no", "channel", "submitted_on"]
    + [f"q1_{i}" for i in range(1, Q1_OPTIONS + 1)]
    + ["q1_other"]
    + ["q2", "q2_f1", "q2_f2", "q2_f3"]
    + ["q3", "q3_f"]
    + ["q4", "q4_f1", "q4_f2", "q4_f3"]
    + ["q5", "q5_f1", "q5_f2", "q5_f3", "q5_f"]
    + ["q6_1", "q6_2", "q6_3"]
    + ["q7"]
    + ["q8_1", "q8_2", "q8_3"]
    + ["q9", "q9_f1", "q9_f2", "q9_f3", "q9_f"]
    + ["q10"]
    + ["q11_1", "q11_2", "q11_3"]
)
IDENTIFYING = {"id", "pk", "email", "e-mail", "token", "invitation", "key_hash", "user", "ip"}


@pytest.fixture
def campaign(lsr):
    campaign = launched_campaign(lsr, audience=Audience.MEMBERS, title="Ankieta członków 2017")
    respond(
        campaign,
        q1=["Administracja", "Inna (wskaż sektor)"],
        q1_other="=HYPERLINK(sektor)",
        q6_1="warsztaty",
        q6_2="festyn",
    )
    respond(campaign, q2="no", q5="no", q5_f="nie ma potrzeby", q9="no", q9_f="brak czasu")
    return campaign


def export(client, campaign, fmt):
    url = reverse("surveys:results_export", args=[campaign.network_id, campaign.pk, fmt])
    return client.get(url)


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_has_stable_columns_and_one_row_per_response(client, personas, campaign):
    client.force_login(personas["animator"])
    response = export(client, campaign, "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == EXPECTED_COLUMNS
    assert len(rows) == 2
    first, second = (dict(zip(header, row, strict=True)) for row in rows)
    assert first["no"] == "1" and first["channel"] == "online"
    assert first["submitted_on"] == date.today().strftime("%d.%m.%Y")  # the portal's one format
    assert first["q1_1"] == "1" and first["q1_2"] == "0" and first["q1_11"] == "0"
    assert first["q1_12"] == "1"
    assert first["q1_other"] == "'=HYPERLINK(sektor)"  # kept, never a formula
    assert first["q2"] == "1" and first["q2_f1"] == "integracja" and first["q2_f2"] == ""
    assert (first["q6_1"], first["q6_2"], first["q6_3"]) == ("warsztaty", "festyn", "")
    # Q9 = yes opened the list follow-up; its "no" text was not asked (-1)
    assert first["q9_f1"] == "wolontariat" and first["q9_f"] == "-1"
    # Q2 = no: Q3 and Q4 were not asked (-1), the text follow-ups land in _f
    assert second["q2"] == "0" and second["q3"] == "-1" and second["q4_f1"] == "-1"
    assert second["q5"] == "0" and second["q5_f"] == "nie ma potrzeby" and second["q5_f1"] == "-1"
    assert second["q9_f"] == "brak czasu"
    # adding responses and codes never moves the answer columns
    respond(campaign)
    header_again, *_rows = read_csv(export(client, campaign, "csv"))
    assert header_again == EXPECTED_COLUMNS


def test_nothing_identifying_is_exported(client, personas, campaign):
    client.force_login(personas["animator"])
    header, *rows = read_csv(export(client, campaign, "csv"))
    assert not IDENTIFYING & {h.lower() for h in header}
    assert [row[0] for row in rows] == ["1", "2"]  # row numbers, not database ids


def test_xlsx_has_responses_and_codebook(client, personas, campaign):
    category = services_coding.category_add(campaign, "q6", "warsztaty")
    first = campaign.responses.order_by("pk").first()
    services_coding.coding_set(first, "q6", 0, [category])
    client.force_login(personas["admin"])
    response = export(client, campaign, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Responses", "Codebook"]
    rows = list(workbook["Responses"].iter_rows(values_only=True))
    header = list(rows[0])
    # the code column comes right after the answer columns of its question
    assert (
        header
        == EXPECTED_COLUMNS[: EXPECTED_COLUMNS.index("q6_3") + 1]
        + ["q6_c1"]
        + EXPECTED_COLUMNS[EXPECTED_COLUMNS.index("q6_3") + 1 :]
    )
    first_row = dict(zip(header, rows[1], strict=True))
    assert first_row["q1_other"] == "=HYPERLINK(sektor)"
    assert workbook["Responses"]["A2"].data_type == "n"
    assert first_row["q6_c1"] == 1 and first_row["q1_1"] == 1
    assert first_row["submitted_on"].date() == date.today()
    second_row = dict(zip(header, rows[2], strict=True))
    assert second_row["q6_c1"] == 0  # has items, none coded
    codebook = list(workbook["Codebook"].iter_rows(values_only=True))
    assert codebook[0] == ("column", "question", "meaning")
    assert [row[0] for row in codebook[1 : len(header) + 1]] == header
    # then the two codes that tell "not asked" from "no answer"
    assert [row[0] for row in codebook[len(header) + 1 :]] == ["-1", "-2"]
    meanings = {row[0]: row for row in codebook[1:]}
    assert "Instytucja edukacji i oświaty" in meanings["q1_3"][2]
    assert meanings["q1_3"][1].startswith("1. Proszę określić")
    assert "warsztaty" in meanings["q6_c1"][2]
    assert "Proszę wskazać dlaczego" in meanings["q9_f"][2]


def test_control_characters_do_not_break_the_xlsx(client, personas, campaign):
    respond(campaign, q10="tekst\x0bz\x1fsterującymi")
    client.force_login(personas["animator"])
    workbook = load_workbook(io.BytesIO(export(client, campaign, "xlsx").content))
    header, *rows = list(workbook["Responses"].iter_rows(values_only=True))
    assert rows[-1][header.index("q10")] == "tekstzsterującymi"


def test_export_of_an_empty_campaign(client, personas, lsr):
    campaign = launched_campaign(lsr, title=TITLE)
    client.force_login(personas["animator"])
    header, *rows = read_csv(export(client, campaign, "csv"))
    assert header == EXPECTED_COLUMNS and rows == []
    assert export(client, campaign, "pdf").status_code == 404


def test_export_is_for_the_research_team_only(client, personas, campaign):
    for persona, status in (("rops", 403), ("ksr", 403), ("other_animator", 404)):
        client.force_login(personas[persona])
        assert export(client, campaign, "csv").status_code == status
        assert export(client, campaign, "xlsx").status_code == status


# --- the helper ----------------------------------------------------------------------------------


def test_workbook_response_writes_each_sheet():
    response = workbook_response(
        filename_stem="Wyniki ankiety",
        sheets=[
            ("Data", ["a", "b"], [[1, "=1+1"], [date(2017, 5, 4), None]]),
            ("Bad/name:[x]*?" + "y" * 40, ["c"], [["x"]]),
            ("data", ["d"], []),
        ],
    )
    assert response["Content-Disposition"] == 'attachment; filename="wyniki-ankiety.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    names = workbook.sheetnames
    assert names[0] == "Data" and len(names) == 3
    assert all(len(n) <= 31 and not set(n) & set("/\\:[]*?") for n in names)
    assert names[2] != "Data" and names[2].lower() != "data"
    data = workbook["Data"]
    assert [c.value for c in data[1]] == ["a", "b"] and data["A1"].font.bold
    assert data["B2"].value == "=1+1" and data["B2"].data_type == "s"
    assert data["A3"].value.date() == date(2017, 5, 4)
    assert data.freeze_panes == "A2"

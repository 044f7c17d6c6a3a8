import pytest
from django.utils import translation

from surveys import engine
from surveys.services import responses as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    return services.schema_of(services.questionnaire_load_default())


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_default_questionnaire_is_the_ankieta(schema):
    assert schema["title"].startswith("Ankieta – partnerska współpraca")
    assert [q["number"] for q in schema["questions"]] == list(range(1, 12))
    q1, q2 = schema["questions"][0], schema["questions"][1]
    assert q1["kind"] == "choice_multi" and len(q1["options"]) == 12 and q1["other_label"]
    assert q2["logic"]["no"] == {"goto": 5}
    assert q2["logic"]["yes"]["followup"]["kind"] == "list"


def test_q2_no_jumps_to_q5(schema):
    assert engine.asked_numbers(schema, {"q2": "no"}) == [1, 2, 5, 6, 7, 8, 9, 10, 11]
    assert engine.asked_numbers(schema, {"q2": "yes"}) == list(range(1, 12))
    assert engine.asked_numbers(schema, {}) == list(range(1, 12))


def full_answers(**overrides):
    raw = {
        "q1": ["Organizacja pozarządowa"],
        "q2": "yes",
        "q2_f1": "integracja",
        "q3": "yes",
        "q4": "yes",
        "q5": "yes",
        "q6_1": "warsztaty",
        "q7": "no",
        "q8_1": "kultura",
        "q9": "yes",
        "q10": "otwartość",
        "q11_1": "edukacja obywatelska",
    }
    raw.update(overrides)
    return raw


def test_answers_to_skipped_questions_are_discarded(schema):
    result = engine.validate(schema, full_answers(q2="no"))
    assert result.is_valid, result.errors
    assert "q3" not in result.answers and "q4" not in result.answers
    assert "q2_f" not in result.answers  # the "yes" follow-up of Q2 is a stale branch
    assert result.asked == [1, 2, 5, 6, 7, 8, 9, 10, 11]


def test_required_and_tampered_answers(schema):
    result = engine.validate(schema, {"q1": ["Nie ma takiej opcji"], "q99": "x"})
    assert "q1" in result.errors and "q2" in result.errors
    assert "q99" not in result.answers


def test_other_specify_is_required_for_options_that_ask_for_it(schema):
    result = engine.validate(schema, full_answers(q1=["Inna (wskaż sektor)"]))
    assert "q1_other" in result.errors
    result = engine.validate(
        schema, full_answers(q1=["Inna (wskaż sektor)"], q1_other="sektor spółdzielczy")
    )
    assert result.is_valid and result.answers["q1_other"] == "sektor spółdzielczy"


def test_over_long_text_is_refused(schema):
    result = engine.validate(schema, full_answers(q10="x" * (engine.LONG_TEXT_MAX + 1)))
    assert "q10" in result.errors


def test_raw_from_answers_round_trip(schema):
    result = engine.validate(schema, full_answers())
    again = engine.validate(schema, engine.raw_from_answers(schema, result.answers))
    assert again.answers == result.answers

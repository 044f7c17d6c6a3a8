import pytest
from django.core.management import call_command

from stakeholders.models import County, Gmina, GminaKind, Voivodeship

pytestmark = pytest.mark.django_db


def test_load_teryt_loads_the_whole_register_once():
    call_command("load_teryt")
    assert Voivodeship.objects.count() == 16
    assert County.objects.count() == 380
    assert Gmina.objects.count() == 2477
    assert Gmina.objects.filter(kind=GminaKind.URBAN).count() == 302
    assert Gmina.objects.filter(kind=GminaKind.RURAL).count() == 1464
    assert Gmina.objects.filter(kind=GminaKind.URBAN_RURAL).count() == 711
    assert Gmina.objects.in_voivodeship("06").count() == 213

    call_command("load_teryt")  # idempotent
    assert Gmina.objects.count() == 2477
    assert County.objects.count() == 380


def test_register_codes_and_names_are_exact():
    call_command("load_teryt")
    zmudz = Gmina.objects.select_related("county__voivodeship").get(code="0603142")
    assert zmudz.name == "Żmudź"
    assert zmudz.kind == GminaKind.RURAL
    assert zmudz.county.name == "powiat chełmski"
    assert zmudz.county.voivodeship.name == "lubelskie"
    assert Voivodeship.objects.get(code="02").name == "dolnośląskie"
    assert County.objects.get(code="1465").name == "Warszawa"


def test_load_teryt_repairs_a_changed_name():
    call_command("load_teryt")
    Gmina.objects.filter(code="0603142").update(name="zmieniona")
    call_command("load_teryt")
    assert Gmina.objects.get(code="0603142").name == "Żmudź"

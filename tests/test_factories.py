"""Every model of the portal's apps has a factory in tests/factories.py that makes a valid row."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

APPS = [
    "stakeholders",
    "networks",
    "procedures",
    "surveys",
    "evaluations",
    "dashboards",
    "printing",
    "notifications",
    "accounts",
    "recommendations",
    "legal",
]
MODELS = [
    model
    for label in APPS
    for model in apps.get_app_config(label).get_models()
    if not model.__name__.startswith("Historical")
]
FACTORIES = {
    f._meta.model: f
    for _name, f in inspect.getmembers(factories, inspect.isclass)
    if issubclass(f, factory.django.DjangoModelFactory) and f._meta.model is not None
}


def test_every_model_has_a_factory():
    missing = sorted(m._meta.label for m in MODELS if m not in FACTORIES)
    assert missing == [], f"add factories for {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_each_factory_makes_a_valid_row(model):
    row = FACTORIES[model]()
    row.full_clean()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_network_factory_makes_each_tier():
    assert factories.NetworkFactory(rsr=True).voivodeship is not None
    assert factories.NetworkFactory(ksr=True).teryt_code == ""

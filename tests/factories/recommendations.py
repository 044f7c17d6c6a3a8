"""Factories of ksr_portal.recommendations: themes, experience items, recommendations."""

import factory

from ksr_portal.recommendations.models import (
    ExperienceItem,
    ExperienceKind,
    ItemStatus,
    Recommendation,
    Theme,
)
from networks.models import Network, Tier

from .apps import NetworkFactory, UserFactory

__all__ = ["ExperienceItemFactory", "RecommendationFactory", "ThemeFactory"]


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Temat {n}")
    keywords = factory.LazyAttribute(lambda o: [o.name.lower()])


class ExperienceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceItem
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    kind = ExperienceKind.BARRIER
    title = factory.Sequence(lambda n: f"Doświadczenie {n}")
    description = "Opis doświadczenia."
    status = ItemStatus.SUBMITTED
    submitted_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted if extracted is not None else [ThemeFactory()])


def _ksr() -> Network:
    return Network.objects.get_or_create(
        tier=Tier.KSR, defaults={"name": "Krajowa Sieć Reintegracji", "teryt_code": ""}
    )[0]


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    network = factory.LazyFunction(_ksr)
    title = factory.Sequence(lambda n: f"Rekomendacja {n}")
    rationale = "Uzasadnienie."
    addressee = "DPiIS MRPiPS"
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create:
            self.items.set(
                extracted
                if extracted is not None
                else [ExperienceItemFactory(status=ItemStatus.FORWARDED)]
            )
            self.refresh_lsrs()

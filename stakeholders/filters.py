from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import County, Gmina, GminaKind, Voivodeship


class GminaFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name contains"), lookup_expr="icontains")
    voivodeship = django_filters.ModelChoiceFilter(
        label=_("Voivodeship"),
        queryset=Voivodeship.objects.none(),
        field_name="county__voivodeship",
        empty_label=_("all"),
    )
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=County.objects.none(), empty_label=_("all")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Gmina kind"), choices=GminaKind.choices, empty_label=_("all")
    )

    class Meta:
        model = Gmina
        fields = ["name", "voivodeship", "county", "kind"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["voivodeship"].queryset = Voivodeship.objects.for_user(user)
        self.filters["county"].queryset = County.objects.for_user(user).select_related(
            "voivodeship"
        )

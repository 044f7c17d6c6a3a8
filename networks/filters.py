import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import InstitutionKind, Sector, StakeholderType

from .models import Membership, active_on


class MembershipFilter(django_filters.FilterSet):
    stakeholder_type = django_filters.ChoiceFilter(
        label=_("Stakeholder type"),
        field_name="organisation__stakeholder_type",
        choices=[(v, v) for v in StakeholderType.values],
        empty_label=_("all"),
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"),
        field_name="organisation__sector",
        choices=Sector.choices,
        empty_label=_("all"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Institution kind"),
        field_name="organisation__institution_kind",
        choices=InstitutionKind.choices,
        empty_label=_("all"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=[("active", _("active")), ("left", _("former")), ("all", _("whole history"))],
        method="filter_status",
        empty_label=None,
    )
    name = django_filters.CharFilter(
        label=_("Name contains"), field_name="organisation__name", lookup_expr="icontains"
    )

    class Meta:
        model = Membership
        fields = ["stakeholder_type", "sector", "kind", "status", "name"]

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(active_on())
        if value == "left":
            return queryset.filter(Q(left_on__isnull=False) & Q(left_on__lte=timezone.localdate()))
        return queryset

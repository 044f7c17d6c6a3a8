import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from networks.models import Stage, Variant
from procedures.models import CLOSED_ACTIVITY, Activity, ActivityStatus
from stakeholders.models import County, GminaKind

from .queries import stale_since
from .steps import parse_step

STEP_STATES = {
    "done": Q(status=ActivityStatus.DONE),
    "not_applicable": Q(status=ActivityStatus.NOT_APPLICABLE),
    "open": ~Q(status__in=CLOSED_ACTIVITY),
}

MISSING_CHOICES = [
    ("kis_main", _("without a KIS as the main node")),
    ("type_c", _("without a type C member")),
    ("signed_partnership", _("without an agreement in force")),
    ("sectors", _("without all three sectors")),
    ("any", _("missing any critical condition")),
]
HAS_CHOICES = [
    ("kis_main", _("a KIS as the main node")),
    ("type_c", _("a type C member")),
    ("signed_partnership", _("an agreement in force")),
    ("sectors", _("all three sectors")),
    ("all", _("all critical conditions")),
]
SORT_CHOICES = [
    ("name", _("gmina")),
    ("stage", _("stage")),
    ("-cards_done", _("cards done (most first)")),
    ("cards_done", _("cards done (fewest first)")),
    ("-overdue", _("overdue activities (most first)")),
    ("-responses", _("survey responses (most first)")),
    ("active_c", _("type C members (fewest first)")),
    ("last_meeting", _("last meeting (longest ago first)")),
    ("last_monitoring", _("last monitoring (longest ago first)")),
]
MONTHS_MAX = 120


class MonthsFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _months_filter(label):
    return MonthsFilter(
        label=label,
        method="filter_months",
        min_value=1,
        max_value=MONTHS_MAX,
        widget=forms.NumberInput(attrs={"placeholder": _("months")}),
    )


class LsrDashboardFilter(django_filters.FilterSet):
    """Filters of the dashboard table; applied to the already annotated rows (database side)."""

    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=County.objects.none(),
        field_name="gmina__county",
        empty_label=_("all"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("all")
    )
    variant = django_filters.ChoiceFilter(
        label=_("Founding variant"), choices=Variant.choices, empty_label=_("all")
    )
    missing = django_filters.ChoiceFilter(
        label=_("Critical condition"),
        choices=MISSING_CHOICES,
        method="filter_missing",
        empty_label=_("all"),
    )
    has = django_filters.ChoiceFilter(
        label=_("Meets"), choices=HAS_CHOICES, method="filter_has", empty_label=_("all")
    )
    card_done = django_filters.ChoiceFilter(
        label=_("Completed card"),
        choices=[(str(n), str(n)) for n in range(1, 14)],
        method="filter_card_done",
        empty_label=_("any"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Gmina kind"),
        choices=GminaKind.choices,
        field_name="gmina__kind",
        empty_label=_("all"),
    )
    voivodeship = django_filters.CharFilter(method="filter_voivodeship", widget=forms.HiddenInput)
    county_code = django_filters.CharFilter(method="filter_county_code", widget=forms.HiddenInput)
    # "3.2": LSRs with at least one institution whose activity 2 of card 3 is in ``step_state``
    step = django_filters.CharFilter(method="filter_step", widget=forms.HiddenInput)
    step_state = django_filters.CharFilter(method="filter_noop", widget=forms.HiddenInput)
    bez_posiedzenia = _months_filter(_("No meeting for (months)"))
    bez_monitoringu = _months_filter(_("No monitoring for (months)"))
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_noop", empty_label=_("gmina")
    )

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["county"].queryset = (
            counties if counties is not None else County.objects.none()
        )

    @property
    def form(self):
        form = super().form
        # Bootstrap classes set here: the form renders without crispy (one per dashboard request)
        for field in form.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
        return form

    def filter_missing(self, queryset, name, value):
        if value == "kis_main":
            return queryset.filter(has_kis_main=False)
        if value == "type_c":
            return queryset.filter(active_c=0)
        if value == "signed_partnership":
            return queryset.filter(has_signed_partnership=False)
        if value == "sectors":
            return queryset.exclude(has_public=True, has_ngo=True, has_business=True)
        if value == "any":
            return queryset.exclude(
                has_kis_main=True,
                active_c__gt=0,
                has_signed_partnership=True,
                has_public=True,
                has_ngo=True,
                has_business=True,
            )
        return queryset

    def filter_has(self, queryset, name, value):
        conditions = {
            "kis_main": {"has_kis_main": True},
            "type_c": {"active_c__gt": 0},
            "signed_partnership": {"has_signed_partnership": True},
            "sectors": {"has_public": True, "has_ngo": True, "has_business": True},
        }
        if value == "all":
            merged = {}
            for part in conditions.values():
                merged.update(part)
            return queryset.filter(**merged)
        return queryset.filter(**conditions[value]) if value in conditions else queryset

    def filter_card_done(self, queryset, name, value):
        return queryset.filter(**{f"card_{int(value)}_done": True}) if value else queryset

    def filter_voivodeship(self, queryset, name, value):
        return (
            queryset.filter(teryt_code__startswith=value[:2])
            if value[:2].isdigit()
            else queryset.none()
        )

    def filter_county_code(self, queryset, name, value):
        if len(value) == 4 and value.isdigit():
            return queryset.filter(teryt_code__startswith=value)
        return queryset.none()

    def filter_step(self, queryset, name, value):
        step = parse_step(value)
        if step is None:
            return queryset.none()
        state = STEP_STATES.get(self.data.get("step_state") or "done")
        if state is None:
            return queryset.none()
        activities = Activity.objects.filter(
            state, card__network=OuterRef("pk"), card__number=step[0], position=step[1]
        )
        return queryset.filter(Exists(activities))

    def filter_months(self, queryset, name, value):
        """LSRs whose last meeting held (or last monitoring term) is more than ``value`` months
        ago, or that have none."""
        if value is None:
            return queryset
        field = "last_meeting" if name == "bez_posiedzenia" else "last_monitoring"
        since = stale_since(int(value))
        if field == "last_monitoring":
            since = since.date()
        return queryset.filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": since}))

    def filter_noop(self, queryset, name, value):
        return queryset

"""Forms of the results pages: comparing audience groups and coding free-text answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.coding import CATEGORY_NAME_MAX


class CompareForm(forms.Form):
    """Which questionnaire (by title) and, optionally, which question to compare."""

    title = forms.ChoiceField(label=_("Questionnaire"))
    question = forms.TypedChoiceField(
        label=_("Question"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data=None, *, titles: list[str], questions: list[dict]):
        super().__init__(data)
        self.fields["title"].choices = [(t, t) for t in titles]
        self.fields["question"].choices = [("", _("All questions"))] + [
            (str(q["number"]), f"{q['number']}. {q['text'][:80]}") for q in questions
        ]


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("New category"), max_length=CATEGORY_NAME_MAX)


class CodingForm(forms.Form):
    """The categories of the items shown on one page of the coding table.

    ``shown`` lists the items that were on the page ("<response>-<item>", comma-separated), so
    only they change on save; each item's boxes are posted as ``code-<response>-<item>``."""

    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, keys: set[tuple[int, int]], category_ids: list[int]):
        super().__init__(data)
        self.keys = keys
        self.category_ids = [str(pk) for pk in category_ids]

    def clean(self):
        cleaned = super().clean()
        shown = set()
        for part in (cleaned.get("shown") or "").split(","):
            rid, _sep, item = part.partition("-")
            if rid.isdigit() and item.isdigit() and (int(rid), int(item)) in self.keys:
                shown.add((int(rid), int(item)))
        assignments = {}
        for rid, item in shown:
            values = self.data.getlist(f"code-{rid}-{item}") if self.data else []
            if any(value not in self.category_ids for value in values):
                raise forms.ValidationError(_("A chosen category does not exist any more."))
            assignments[(rid, item)] = {int(value) for value in values}
        cleaned["assignments"] = assignments
        return cleaned

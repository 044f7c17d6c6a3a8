from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..files import MAX_UPLOAD_BYTES, allowed_extensions, validate_document
from ..models import DocumentCategory, LibraryDocument


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search in titles and descriptions"), required=False, max_length=200
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("all categories")), *DocumentCategory.choices],
    )


class LibraryUploadForm(forms.ModelForm):
    class Meta:
        model = LibraryDocument
        fields = ["title", "category", "description", "file"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_lazy(
            _("Allowed: {types}; up to {limit} MB."),
            types=allowed_extensions(),
            limit=MAX_UPLOAD_BYTES // (1024 * 1024),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(None if field == NON_FIELD_ERRORS else target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def flash_service_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's ValidationError as error messages on the next page (for actions without
    a form to show it on)."""
    for message in exc.messages:
        messages.error(request, message)


def error_summary(*forms_: forms.BaseForm | None) -> list[dict]:
    """The errors of bound forms as links to their fields, for the summary at the top of a
    page (``includes/_error_summary.html``, focused by ``js/error-summary.js``)."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for name, errors in form.errors.items():
            field = form[name] if name in form.fields else None
            for error in errors:
                items.append(
                    {
                        "href": f"#{field.id_for_label}" if field is not None else "",
                        "label": field.label if field is not None else "",
                        "message": error,
                    }
                )
    return items

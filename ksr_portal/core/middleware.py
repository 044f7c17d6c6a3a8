import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.utils.cache import patch_cache_control
from django.views.defaults import bad_request

# C0 control characters and DEL. PostgreSQL refuses NUL in text outright (a 500 wherever such a
# value reaches a query); the others are never typed by a person and only smuggle escapes into
# logs, exports and PDFs. Tab, line feed and carriage return are ordinary text in form values.
_CONTROL_IN_NAMES = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_VALUES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharacterRequest(SuspiciousOperation):
    """A request whose path, query or form carries a control character."""


def _bad_pairs(items: Iterable[tuple[str, str]]) -> bool:
    return any(
        _CONTROL_IN_NAMES.search(key) or _CONTROL_IN_VALUES.search(value) for key, value in items
    )


# The public answering pages keep a respondent's answers and strip control characters from them
# themselves (the surveys app): refusing the whole questionnaire there would lose the answers.
FORM_VALUES_CLEANED_BY_THE_VIEW = frozenset({"answer"})  # URL namespaces


def control_character_in(request: HttpRequest, *, check_form: bool = True) -> str | None:
    """Where a control character sits in the request (``None`` when there is none). Uploaded
    files are data and are not looked into; their names are."""
    if _CONTROL_IN_NAMES.search(request.path_info):
        return "path"
    if _bad_pairs(_pairs(request.GET)):
        return "query"
    if check_form and request.method == "POST" and request.content_type in _FORM_TYPES:
        if _bad_pairs(_pairs(request.POST)):
            return "form"
        if any(_CONTROL_IN_NAMES.search(f.name or "") for f in _files(request)):
            return "file name"
    return None


def _pairs(querydict: QueryDict) -> Iterator[tuple[str, str]]:
    return ((key, value) for key, values in querydict.lists() for value in values)


def _files(request: HttpRequest) -> Iterator[UploadedFile]:
    return (f for _key, files in request.FILES.lists() for f in files)


class RejectControlCharactersMiddleware:
    """Answer 400 (the Polish ``400.html``) to NUL and other control characters in the path, the
    query string and form fields, before any view can pass them to the database. Placed last, so
    the other middleware (locale, user, headers) wraps the 400 page like any other page; the other
    middleware's ``process_view`` (CSRF) runs before this one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        # Checked once the URL is resolved (a path that names no page is a 404 anyway), before the
        # view runs: the namespace tells whether the view cleans its form values itself.
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        where = control_character_in(
            request, check_form=namespace not in FORM_VALUES_CLEANED_BY_THE_VIEW
        )
        if where is not None:
            return bad_request(request, ControlCharacterRequest(f"control character in {where}"))
        return None


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself. Every answer to a logged-in user (pages, PDFs,
    exports) shows contact data or work in progress: no shared cache and no browser cache may
    keep it (``Cache-Control: private, no-store``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

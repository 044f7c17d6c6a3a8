"""View decorators shared by the packages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect


def post_or_redirect(fallback: str) -> Callable:
    """An action answered only to POST; a GET (a followed link, a crawler, a reload) is sent on
    to the page where the action lives instead of a 405."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method != "POST":
                return redirect(fallback)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

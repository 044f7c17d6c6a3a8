"""gunicorn's configuration, read from the working directory (``gunicorn ksr_portal.wsgi``).

No server banner: gunicorn writes ``Server: gunicorn`` into every answer, which only tells an
attacker what to look up. The header is dropped where gunicorn writes its default headers."""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [h for h in _default_headers(self) if not h.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server

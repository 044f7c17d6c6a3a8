"""Every named URL pattern of the portal, as a route with holes, for the site-wide walkers."""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver

# Django's own machinery, not ours to walk: the admin has its own tests upstream.
SKIPPED_NAMESPACES = {"admin", "djdt"}
_HOLE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, e.g. "procedures:card_detail"
    route: str  # e.g. "sieci/<int:pk>/karty/<int:card_pk>/"
    converters: tuple[tuple[str, str], ...]  # ((kwarg, converter), ...) in order

    @property
    def kwargs(self) -> tuple[str, ...]:
        return tuple(name for name, _converter in self.converters)

    @property
    def key(self) -> str:
        """The name plus its arguments: one name may have two patterns (with and without an id)."""
        return f"{self.name}({','.join(self.kwargs)})" if self.kwargs else self.name

    def fill(self, values: dict[str, object]) -> str:
        """The path with every hole filled (quoted, so odd values reach the view as they are)."""

        def one(match):
            return quote(str(values[match["name"]]), safe="")

        return "/" + _HOLE.sub(one, self.route)


def routes(resolver=None, namespace="", prefix=""):
    """Every named pattern, through every resolver and namespace."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = prefix + str(pattern.pattern)
            converters = tuple((m["name"], m["converter"] or "str") for m in _HOLE.finditer(route))
            yield Route(namespace + pattern.name, route, converters)

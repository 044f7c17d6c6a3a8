"""Every printable document within a user's reach, grouped by LSR: the documents page.

The page is assembled from a registry of providers, so a document of another app appears here
by registering one function, without this module knowing the app:

* ``register_lsr_printables(provider)``: ``provider(user, networks)`` gets the user and the LSRs
  of one page and yields ``(network_pk, Printable)`` pairs. It must read all of the page's LSRs at
  once (a constant number of queries, whatever the page holds).
* ``register_general_printables(provider)``: ``provider(user)`` yields ``Printable``\\s that belong
  to no single LSR (the voivodeship batch; the KSR's recommendations, "Rekomendacje KSR", register
  here from their own app's ``AppConfig.ready()``).

A provider offers only what the user may open: the page must never show a link that answers 403
or 404. The built-in providers (agreements and letters, procedure cards, evaluation reports, the
voivodeship batch) are at the end of this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from networks.models import Network
from stakeholders.models import User

PER_PAGE = 20


@dataclass(frozen=True)
class Printable:
    section: str | Promise  # the heading it is listed under ("Agreements", "Procedure cards" …)
    title: str | Promise
    url: str
    note: str | Promise = ""
    download: bool = True  # a PDF answered at once; False: a page (e.g. a job's progress)


@dataclass
class LsrPrintables:
    network: Network
    sections: list[tuple[str, list[Printable]]] = field(default_factory=list)


@dataclass
class DocumentsPage:
    general: list[tuple[str, list[Printable]]]
    page: Page
    query: str


LsrProvider = Callable[[User, list[Network]], Iterable[tuple[int, Printable]]]
GeneralProvider = Callable[[User], Iterable[Printable]]

LSR_PROVIDERS: list[LsrProvider] = []
GENERAL_PROVIDERS: list[GeneralProvider] = []


def register_lsr_printables(provider: LsrProvider) -> LsrProvider:
    if provider not in LSR_PROVIDERS:
        LSR_PROVIDERS.append(provider)
    return provider


def register_general_printables(provider: GeneralProvider) -> GeneralProvider:
    if provider not in GENERAL_PROVIDERS:
        GENERAL_PROVIDERS.append(provider)
    return provider


def _grouped(items: Iterable[Printable]) -> list[tuple[str, list[Printable]]]:
    sections: dict[str, list[Printable]] = {}
    for item in items:
        sections.setdefault(str(item.section), []).append(item)
    return list(sections.items())


def lsrs_for_documents(*, user: User, query: str = "") -> Any:
    """The LSRs whose documents the user may open (a partner: those its organisation is an
    active member of), by gmina; ``query`` narrows by the LSR's or the gmina's name."""
    networks = (
        Network.objects.for_user(user)
        .lsrs()
        .select_related("gmina__county__voivodeship")
        .order_by("gmina__name", "name", "pk")
    )
    if query:
        networks = networks.filter(Q(name__icontains=query) | Q(gmina__name__icontains=query))
    return networks


def documents_for_user(*, user: User, page_number: Any = 1, query: str = "") -> DocumentsPage:
    """The documents page: what belongs to no LSR, then one page of LSRs with their documents.
    Queries: two for the page of LSRs, then a fixed few per provider."""
    query = query.strip()[:100]
    page = Paginator(lsrs_for_documents(user=user, query=query), PER_PAGE).get_page(page_number)
    networks = list(page.object_list)
    by_network: dict[int, list[Printable]] = {n.pk: [] for n in networks}
    if networks:
        for provider in LSR_PROVIDERS:
            for network_pk, item in provider(user, networks):
                by_network[network_pk].append(item)
    page.object_list = [LsrPrintables(n, _grouped(by_network[n.pk])) for n in networks]
    general = [item for provider in GENERAL_PROVIDERS for item in provider(user)]
    return DocumentsPage(general=_grouped(general), page=page, query=query)


# --- the built-in providers ------------------------------------------------------------------------


@register_lsr_printables
def agreements_and_letters(user: User, networks: list[Network]) -> Iterable[tuple[int, Printable]]:
    """The LSR's agreement, each task partnership's, and the letters to every member: for those
    who print documents, in their territory."""
    from ksr_portal.core.scoping import has_capability, scope_of
    from networks.models import Partnership

    from .agreements import LETTER_KINDS

    if not has_capability(user, "print_documents"):
        return
    scope = scope_of(user)
    mine = [n for n in networks if scope.covers(n.teryt_code)]
    partnerships: dict[int, list[Partnership]] = {}
    for p in Partnership.objects.filter(network__in=mine).order_by("name", "pk"):
        partnerships.setdefault(p.network_id, []).append(p)
    for n in mine:
        yield (
            n.pk,
            Printable(
                _("Agreements"),
                _("Agreement for the LSR (PDF)"),
                reverse("printing:agreement_pdf", args=[n.pk]),
            ),
        )
        for p in partnerships.get(n.pk, []):
            yield (
                n.pk,
                Printable(
                    _("Agreements"),
                    _("Agreement of the task partnership “%(name)s” (PDF)") % {"name": p.name},
                    reverse("printing:partnership_agreement_pdf", args=[n.pk, p.pk]),
                    note=p.get_agreement_status_display(),
                ),
            )
        for kind in LETTER_KINDS.values():
            yield (
                n.pk,
                Printable(
                    _("Letters"),
                    _("%(title)s to every member (PDF)") % {"title": kind.title},
                    reverse("printing:letters_pdf", args=[n.pk, kind.slug]),
                    note=_("card %(card)s, activity %(activity)s")
                    % {"card": kind.card, "activity": kind.activity},
                ),
            )


@register_lsr_printables
def procedure_cards(user: User, networks: list[Network]) -> Iterable[tuple[int, Printable]]:
    """Each procedure card the user may see (a partner: its organisation's) as a PDF."""
    from procedures.models import Card

    cards = (
        Card.objects.for_user(user)
        .filter(network__in=networks)
        .select_related("organisation")
        .order_by("network_id", "number", "organisation__name", "pk")
    )
    for card in cards:
        title = f"{card.number}. {card.title}"
        if card.organisation_id:
            title += f" – {card.organisation.label}"
        yield (
            card.network_id,
            Printable(
                _("Procedure cards"),
                f"{title} (PDF)",
                reverse("procedures:card_pdf", args=[card.network_id, card.pk]),
                note=card.get_status_display(),
            ),
        )


@register_lsr_printables
def evaluation_reports(user: User, networks: list[Network]) -> Iterable[tuple[int, Printable]]:
    """Each evaluation's report: every one for the territory's coordinators and the research
    team, the published ones for the member organisations' representatives."""
    from ksr_portal.core.scoping import scope_of
    from ksr_portal.evaluations.models import Evaluation

    scope = scope_of(user)
    territorial = {n.pk for n in networks if scope.covers(n.teryt_code)}
    evaluations = Evaluation.objects.filter(network__in=networks).order_by(
        "network_id", "-period_end", "-pk"
    )
    for e in evaluations:
        if e.network_id not in territorial and e.published_at is None:
            continue
        yield (
            e.network_id,
            Printable(
                _("Evaluation reports"),
                _("Evaluation report: %(evaluation)s (PDF)") % {"evaluation": e},
                reverse("evaluations:evaluation_report_pdf", args=[e.network_id, e.pk]),
                note=_("published") if e.published_at else _("draft, not yet published"),
            ),
        )


@register_general_printables
def voivodeship_batches(user: User) -> Iterable[Printable]:
    """The agreements of every LSR of a voivodeship in one PDF, rendered by the worker: for
    those who print documents for the whole country."""
    from ksr_portal.core.scoping import has_capability, scope_of
    from stakeholders.models import Voivodeship

    if not (has_capability(user, "print_documents") and scope_of(user).is_national):
        return
    for v in Voivodeship.objects.order_by("name"):
        yield Printable(
            _("Voivodeship batches"),
            _("Agreements of the LSRs of %(voivodeship)s voivodeship (PDF)")
            % {"voivodeship": v.name},
            reverse("printing_batch:agreements_batch", args=[v.code]),
            note=_("prepared in the background; the next page shows its progress"),
            download=False,
        )

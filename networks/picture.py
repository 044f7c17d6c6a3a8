"""A server-side SVG picture of a network: the main node in the centre, the members on rings.

Pure Python, deterministic, standard SVG 1.1 with presentation attributes only (no ``style``: the
pages have a strict CSP, and the same drawing goes into WeasyPrint PDFs).

Layout. The centre is the origin of the user coordinate system; the ``viewBox`` is computed from
the drawn elements, so the picture scales to its container. The active members (the main node
excepted) are put in one angular order: the members of each task partnership first, next to each
other, then the others, each group by stakeholder type and name. Member *i* of *n* sits at angle
``360° · i / n`` (clockwise from the top) on ring ``i mod k``, with ``k = ceil(n / 20)`` rings, so
neighbours in the order alternate between the rings and every ray from the centre carries one
node only. Labels run outwards along their node's ray, so they never cross a node's circle, a
line to the centre, or another label; the ring radii are chosen so that a label passes the nodes
of the outer rings with a clear gap. A partnership is an arc (a band) outside all labels, spanning
its members, with its name at the arc's middle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ksr_portal.core.charts import coord, truncate, wrap
from stakeholders.models import StakeholderType

from .models import MemberRole, Membership, Partnership

FONT = "DejaVu Sans, sans-serif"
PER_RING = 20
NODE_RADIUS = 15  # every node shape fits in a circle of this radius
MAIN_RADIUS = 30
LABEL_FONT = 10
LABEL_CHARS = 22
ARC_LABEL_CHARS = 48
LEGEND_FONT = 11
LEGEND_CHARS = 80
CHAR_WIDTH = 0.62  # average advance of DejaVu Sans, in em
LINE_COLOUR = "#8C8C8C"
TEXT_COLOUR = "#1A1A1A"

# Okabe–Ito blue and vermillion (darkened) and Tol's wine: each ≥ 5:1 against white (so white
# letters inside stay legible) and apart for protan, deutan and tritan vision. Shape and letter
# repeat the type, so colour is never the only cue.
TYPE_COLOURS: dict[str, str] = {
    StakeholderType.A: "#0072B2",
    StakeholderType.B: "#B84F00",
    StakeholderType.C: "#882255",
}
TYPE_SHAPES: dict[str, str] = {
    StakeholderType.A: "circle",
    StakeholderType.B: "square",
    StakeholderType.C: "diamond",
}
UNKNOWN_COLOUR = "#555555"
# Member networks (an RSR's LSRs, the KSR's RSRs) are nodes too: Tol's green (≥ 5:1 against
# white), a hexagon, and the letter of their tier.
NETWORK_COLOUR = "#117733"
NETWORK_LETTERS = {"lsr": "L", "rsr": "R"}


def _colour(kind: str) -> str:
    if kind in NETWORK_LETTERS.values():
        return NETWORK_COLOUR
    return TYPE_COLOURS.get(kind, UNKNOWN_COLOUR)


# Partnership bands: distinct from the type colours, and each also has its own dash pattern.
BAND_COLOURS = ["#333333", "#117733", "#332288", "#7A5C00"]
BAND_DASHES = ["", "10 4", "3 3", "12 3 3 3"]


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _label(organisation) -> str:
    return truncate(organisation.short_name or organisation.name, LABEL_CHARS)


@dataclass
class _Box:
    """The bounding box of what has been drawn (estimated for text)."""

    min_x: float = 0.0
    min_y: float = 0.0
    max_x: float = 0.0
    max_y: float = 0.0

    def add(self, x: float, y: float, margin: float = 0.0) -> None:
        self.min_x = min(self.min_x, x - margin)
        self.min_y = min(self.min_y, y - margin)
        self.max_x = max(self.max_x, x + margin)
        self.max_y = max(self.max_y, y + margin)


@dataclass
class _Node:
    membership: Membership
    group: int | None  # index of the partnership band, or None
    x: float = 0.0
    y: float = 0.0
    angle: float = 0.0  # radians, 0 = to the right, clockwise on screen
    ring: int = 0


@dataclass
class _Band:
    index: int
    partnership: Partnership
    nodes: list[_Node] = field(default_factory=list)


def _shape(stakeholder_type: str, radius: float, fill: str, stroke: str = "#FFFFFF") -> str:
    """A node shape centred on (0, 0) that fits in a circle of ``radius``."""
    shape = (
        "hexagon"
        if stakeholder_type in NETWORK_LETTERS.values()
        else TYPE_SHAPES.get(stakeholder_type, "circle")
    )
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"'
    if shape == "square":
        half = radius * 0.9 / math.sqrt(2) * 1.05
        return (
            f'<rect x="{coord(-half)}" y="{coord(-half)}" width="{coord(2 * half)}" '
            f'height="{coord(2 * half)}" {common}/>'
        )
    if shape == "hexagon":
        r = radius * 0.95
        points = " ".join(
            f"{coord(r * math.cos(math.pi / 3 * i))},{coord(r * math.sin(math.pi / 3 * i))}"
            for i in range(6)
        )
        return f'<polygon points="{points}" {common}/>'
    if shape == "diamond":
        r = radius * 0.97
        points = f"0,{coord(-r)} {coord(r)},0 0,{coord(r)} {coord(-r)},0"
        return f'<polygon points="{points}" {common}/>'
    return f'<circle cx="0" cy="0" r="{coord(radius * 0.83)}" {common}/>'


def _letter(stakeholder_type: str, size: float) -> str:
    return (
        f'<text x="0" y="{coord(size * 0.36)}" text-anchor="middle" font-family="{FONT}" '
        f'font-size="{coord(size)}" font-weight="bold" fill="#FFFFFF">'
        f"{escape(stakeholder_type)}</text>"
    )


@dataclass
class _NetworkAsOrganisation:
    """A member network drawn like a member organisation."""

    pk: int
    name: str
    short_name: str
    stakeholder_type: str


@dataclass
class _NetworkMembership:
    organisation: _NetworkAsOrganisation
    organisation_id: int
    is_active: bool = True
    role: str = MemberRole.MEMBER


def network_members(children) -> list[_NetworkMembership]:
    """The member networks as members of the picture (those not taking part are left out); their
    ids are negative, so they never meet an organisation's."""
    members = []
    for child in children:
        letter = NETWORK_LETTERS.get(child.tier, "?")
        short = (
            child.gmina.name
            if child.gmina_id
            else (child.voivodeship.name if child.voivodeship_id else "")
        )
        organisation = _NetworkAsOrganisation(-child.pk, child.name, short, letter)
        members.append(_NetworkMembership(organisation, -child.pk, is_active=child.takes_part))
    return members


def _node_svg(node: _Node) -> str:
    organisation = node.membership.organisation
    kind = organisation.stakeholder_type
    colour = _colour(kind)
    title = (
        organisation.name
        if kind in NETWORK_LETTERS.values()
        else f"{organisation.name} ({_('type')} {kind})"
    )
    return (
        f'<g class="ksr-node ksr-type-{escape(kind)}" '
        f'transform="translate({coord(node.x)} {coord(node.y)})">'
        f"<title>{escape(title)}</title>"
        f"{_shape(kind, NODE_RADIUS, colour)}{_letter(kind, 11)}</g>"
    )


def _ring_radii(count: int, rings: int) -> list[float]:
    """Radii so nodes never touch and a label ray passes outer-ring nodes with a clear gap."""
    gap = 2 * NODE_RADIUS + 34
    inner = 100.0
    if count >= 2:
        step = 2 * math.pi / count
        same_ring = 2 * math.pi * rings / count
        # nodes of one ring: the chord between neighbours at least a diameter plus a margin
        inner = max(inner, (2 * NODE_RADIUS + 24) / (2 * math.sin(min(same_ring, math.pi) / 2)))
        if rings > 1:
            # a line to the centre passes inner-ring nodes; a label passes outer-ring nodes
            inner = max(inner, (NODE_RADIUS + 3) / math.sin(step))
            inner = max(inner, (NODE_RADIUS + LABEL_FONT) / math.sin(step) - gap)
    return [inner + i * gap for i in range(rings)]


def _band_style(index: int) -> tuple[str, str]:
    """The colour and the stroke-dasharray attribute ("" for a solid line) of band `index`."""
    colour = BAND_COLOURS[index % len(BAND_COLOURS)]
    dash = BAND_DASHES[(index // len(BAND_COLOURS) + index) % len(BAND_DASHES)]
    return colour, f' stroke-dasharray="{dash}"' if dash else ""


def _placed_nodes(others: list, partnerships: list) -> tuple[list[_Node], list[float]]:
    """The members around the centre in angular order (partnership groups first, each member in
    its first partnership, then the rest), placed on their rings; and the rings' radii."""
    group_of: dict[int, int] = {}
    ring_org_ids = {m.organisation_id for m in others}
    for index, partnership in enumerate(partnerships):
        for partner in partnership.partners.all():
            if partner.organisation_id in ring_org_ids:
                group_of.setdefault(partner.organisation_id, index)

    def order(m):
        group = group_of.get(m.organisation_id)
        return (
            group if group is not None else len(partnerships),
            m.organisation.stakeholder_type,
            m.organisation.name.casefold(),
            m.organisation_id,
        )

    nodes = [_Node(m, group_of.get(m.organisation_id)) for m in sorted(others, key=order)]
    count = len(nodes)
    rings = max(1, math.ceil(count / PER_RING))
    radii = _ring_radii(count, rings)
    for i, node in enumerate(nodes):
        node.ring = i % rings
        node.angle = -math.pi / 2 + 2 * math.pi * i / count
        node.x = radii[node.ring] * math.cos(node.angle)
        node.y = radii[node.ring] * math.sin(node.angle)
    return nodes, radii


def _members_svg(nodes: list[_Node], radii: list[float], box: _Box):
    """Each member: a line to the centre, its node, its label along its ray. Returns the three
    layers and how far from the centre the labels reach."""
    lines, shapes, labels = [], [], []
    reach = radii[-1] + NODE_RADIUS
    for node in nodes:
        lines.append(
            f'<line x1="0" y1="0" x2="{coord(node.x)}" y2="{coord(node.y)}" '
            f'stroke="{LINE_COLOUR}" stroke-width="1"/>'
        )
        shapes.append(_node_svg(node))
        box.add(node.x, node.y, NODE_RADIUS)
        text = _label(node.membership.organisation)
        width = _text_width(text, LABEL_FONT)
        start = radii[node.ring] + NODE_RADIUS + 4
        cos, sin = math.cos(node.angle), math.sin(node.angle)
        degrees = math.degrees(node.angle)
        left = cos < -1e-9
        rotation = degrees + 180 if left else degrees
        anchor = "end" if left else "start"
        x, y = start * cos, start * sin
        labels.append(
            f'<text x="{coord(x)}" y="{coord(y)}" dy="{coord(LABEL_FONT * 0.35)}" '
            f'text-anchor="{anchor}" transform="rotate({coord(rotation)} {coord(x)} {coord(y)})" '
            f'font-family="{FONT}" font-size="{LABEL_FONT}" fill="{TEXT_COLOUR}">'
            f"{escape(text)}</text>"
        )
        end = start + width
        reach = max(reach, end)
        box.add(end * cos, end * sin, LABEL_FONT)
    return lines, shapes, labels, reach


def _bands_svg(
    nodes: list[_Node], partnerships: list, reach: float, box: _Box
) -> tuple[list[_Band], list[str]]:
    """The partnership bands outside every label, each an arc over its members (a circle when it
    spans them all) with its name at the middle. Returns every band and the drawn ones' SVG."""
    count = len(nodes)
    band_radius = reach + 12
    groups = [_Band(i, p) for i, p in enumerate(partnerships)]
    for node in nodes:
        if node.group is not None:
            groups[node.group].nodes.append(node)
    drawn = [g for g in groups if g.nodes]
    step = 2 * math.pi / count if count else 0
    bands = []
    for position, band in enumerate(drawn):
        colour, dash_attr = _band_style(band.index)
        stroke = f'fill="none" stroke="{colour}" stroke-width="6"{dash_attr}'
        first, last = band.nodes[0].angle, band.nodes[-1].angle
        if len(band.nodes) == count:
            shape = f'<circle cx="0" cy="0" r="{coord(band_radius)}" {stroke}/>'
            middle = -math.pi / 2
        else:
            start_angle, end_angle = first - step * 0.4, last + step * 0.4
            large = 1 if end_angle - start_angle > math.pi else 0
            sx, sy = band_radius * math.cos(start_angle), band_radius * math.sin(start_angle)
            ex, ey = band_radius * math.cos(end_angle), band_radius * math.sin(end_angle)
            shape = (
                f'<path d="M {coord(sx)} {coord(sy)} A {coord(band_radius)} {coord(band_radius)} 0 '
                f'{large} 1 {coord(ex)} {coord(ey)}" {stroke}/>'
            )
            middle = (start_angle + end_angle) / 2
        for k in range(25):
            a = middle + (k - 12) / 12 * (last - first + step) / 2
            box.add(band_radius * math.cos(a), band_radius * math.sin(a), 4)
        text = truncate(band.partnership.name, ARC_LABEL_CHARS)
        label_radius = band_radius + 14 + (position % 2) * 16
        cos, sin = math.cos(middle), math.sin(middle)
        lx, ly = label_radius * cos, label_radius * sin
        if sin > 0.2:
            ly += LEGEND_FONT * 0.8
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        width = _text_width(text, LEGEND_FONT)
        x0 = lx if anchor == "start" else lx - width if anchor == "end" else lx - width / 2
        box.add(x0, ly - LEGEND_FONT, 2)
        box.add(x0 + width, ly + 4, 2)
        bands.append(
            f'<g class="ksr-partnership"><title>{escape(band.partnership.name)}</title>{shape}'
            f'<text class="ksr-partnership-label" x="{coord(lx)}" y="{coord(ly)}" '
            f'text-anchor="{anchor}" font-family="{FONT}" font-size="{LEGEND_FONT}" '
            f'font-weight="bold" fill="{colour}">{escape(text)}</text></g>'
        )
    return groups, bands


def _centre_svg(main, active: list, box: _Box) -> list[str]:
    """The centre: the main node with its name, or a placeholder saying why there is none."""
    centre = []
    if main is not None:
        organisation = main.organisation
        kind = organisation.stakeholder_type
        colour = _colour(kind)
        title = f"{organisation.name} – {MemberRole.MAIN_NODE.label} ({_('type')} {kind})"
        centre.append(
            f'<g class="ksr-node ksr-main ksr-type-{escape(kind)}" transform="translate(0 0)">'
            f"<title>{escape(title)}</title>"
            f'<circle cx="0" cy="0" r="{MAIN_RADIUS + 4}" fill="#FFFFFF" '
            f'stroke="{TEXT_COLOUR}" stroke-width="2"/>'
            f"{_shape(kind, MAIN_RADIUS, colour)}{_letter(kind, 20)}</g>"
        )
        caption = [truncate(organisation.short_name or organisation.name, 28)]
        caption_colour = TEXT_COLOUR
    else:
        centre.append(
            f'<circle class="ksr-placeholder" cx="0" cy="0" r="{MAIN_RADIUS}" fill="#FFFFFF" '
            f'stroke="#595959" stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        caption = (
            wrap(_("No main node yet"), 18)
            if active
            else wrap(_("This network has no members yet"), 18)
        )
        caption_colour = "#595959"
    caption_top = MAIN_RADIUS + 8
    caption_width = max(_text_width(line, LEGEND_FONT) for line in caption)
    centre.append(
        f'<rect x="{coord(-caption_width / 2 - 4)}" y="{coord(caption_top)}" '
        f'width="{coord(caption_width + 8)}" height="{coord(len(caption) * 14 + 4)}" '
        f'fill="#FFFFFF" fill-opacity="0.9"/>'
    )
    for i, line in enumerate(caption):
        centre.append(
            f'<text x="0" y="{coord(caption_top + 13 + i * 14)}" text-anchor="middle" '
            f'font-family="{FONT}" font-size="{LEGEND_FONT}" font-weight="bold" '
            f'fill="{caption_colour}">{escape(line)}</text>'
        )
    box.add(0, caption_top + len(caption) * 14 + 6, caption_width / 2 + 4)
    return centre


class _Legend:
    """The legend below the picture: one row per symbol, its text wrapped."""

    def __init__(self, box: _Box):
        self.x = box.min_x + 8
        self.y = box.max_y + 28
        self.parts = [
            f'<text x="{coord(self.x)}" y="{coord(self.y)}" font-family="{FONT}" '
            f'font-size="{LEGEND_FONT + 1}" font-weight="bold" fill="{TEXT_COLOUR}">'
            f"{escape(_('Legend'))}</text>"
        ]
        self.widest = _text_width(_("Legend"), LEGEND_FONT + 1)

    def row(self, symbol: str, text: str) -> None:
        x = self.x
        self.y += 22
        self.parts.append(
            f'<g transform="translate({coord(x + 10)} {coord(self.y - 4)}) scale(0.7)">{symbol}</g>'
        )
        for i, line in enumerate(wrap(text, LEGEND_CHARS)):
            if i:
                self.y += 14
            self.parts.append(
                f'<text x="{coord(x + 26)}" y="{coord(self.y)}" font-family="{FONT}" '
                f'font-size="{LEGEND_FONT}" fill="{TEXT_COLOUR}">{escape(line)}</text>'
            )
            self.widest = max(self.widest, 26 + _text_width(line, LEGEND_FONT))


def _legend_svg(groups: list[_Band], box: _Box, network_letters=()) -> list[str]:
    """The legend: the stakeholder types, the member networks, the main node, every
    partnership."""
    legend = _Legend(box)
    for kind in StakeholderType:
        legend.row(
            _shape(kind.value, NODE_RADIUS, TYPE_COLOURS[kind]) + _letter(kind.value, 11),
            str(kind.label),
        )
    labels = {"L": _("member LSR"), "R": _("member RSR")}
    for letter in network_letters:
        legend.row(
            _shape(letter, NODE_RADIUS, NETWORK_COLOUR) + _letter(letter, 11), str(labels[letter])
        )
    legend.row(
        f'<circle cx="0" cy="0" r="{NODE_RADIUS}" fill="#FFFFFF" stroke="{TEXT_COLOUR}" '
        f'stroke-width="2"/>',
        _("%(role)s (in the centre); the lines join the members to it")
        % {"role": MemberRole.MAIN_NODE.label},
    )
    for band in groups:
        colour, dash_attr = _band_style(band.index)
        partners = len(band.partnership.partners.all())
        count_text = ngettext("%(n)d partner", "%(n)d partners", partners) % {"n": partners}
        text = f"{Partnership._meta.verbose_name}: {band.partnership.name} ({count_text})"
        legend.row(
            f'<line x1="-14" y1="0" x2="14" y2="0" stroke="{colour}" stroke-width="6"{dash_attr}/>',
            text[:1].upper() + text[1:],
        )
    box.add(legend.x + legend.widest, legend.y + 10, 0)
    return legend.parts


def _description(main, active: list, groups: list[_Band], networks=()) -> str:
    """Everything the picture shows, in words (its <desc>)."""
    by_type = dict.fromkeys(StakeholderType.values, 0)
    for m in active:
        by_type[m.organisation.stakeholder_type] = (
            by_type.get(m.organisation.stakeholder_type, 0) + 1
        )
    parts = []
    if main is not None:
        parts.append(_("Main node: %(name)s.") % {"name": main.organisation.name})
    else:
        parts.append(_("The network has no main node."))
    parts.append(
        ngettext("%(n)d active member: ", "%(n)d active members: ", len(active))
        % {"n": len(active)}
        + ", ".join(
            _("type %(type)s: %(count)d") % {"type": kind, "count": by_type[kind]}
            for kind in StakeholderType.values
        )
        + "."
    )
    if networks:
        parts.append(
            _("Member networks: %(names)s.")
            % {"names": ", ".join(m.organisation.name for m in networks)}
        )
    for band in groups:
        names = [n.membership.organisation.name for n in band.nodes]
        parts.append(
            _("Task partnership “%(name)s”: %(partners)s.")
            % {"name": band.partnership.name, "partners": ", ".join(names) or "–"}
        )
    return " ".join(parts)


def network_svg(network, memberships, partnerships, member_networks=()) -> SafeString:
    """The picture of a network as an accessible, scalable SVG: the main node in the centre, the
    member organisations and (for an RSR or the KSR) the member networks around it."""
    active = [m for m in memberships if m.is_active]
    main = next((m for m in active if m.role == MemberRole.MAIN_NODE), None)
    networks = [m for m in network_members(member_networks) if m.is_active]
    others = [m for m in active if m is not main] + networks
    partnerships = list(partnerships)
    prefix = f"ksr-network-{network.pk or 'new'}"

    nodes, radii = _placed_nodes(others, partnerships)
    box = _Box()
    box.add(0, 0, MAIN_RADIUS + 40)
    lines, shapes, labels, reach = _members_svg(nodes, radii, box)
    groups, bands = _bands_svg(nodes, partnerships, reach, box)
    centre = _centre_svg(main, active + networks, box)
    letters = sorted({m.organisation.stakeholder_type for m in networks})
    legend = _legend_svg(groups, box, letters)
    title = _("Network picture: %(name)s") % {"name": network.name}
    description = _description(main, active, groups, networks)

    pad = 16
    min_x, min_y = box.min_x - pad, box.min_y - pad
    width, height = box.max_x - box.min_x + 2 * pad, box.max_y - box.min_y + 2 * pad
    body = "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
            f'viewBox="{coord(min_x)} {coord(min_y)} {coord(width)} {coord(height)}" '
            f'preserveAspectRatio="xMidYMid meet" role="img" '
            f'aria-labelledby="{prefix}-title {prefix}-desc" class="ksr-network-picture">',
            f'<title id="{prefix}-title">{escape(title)}</title>',
            f'<desc id="{prefix}-desc">{escape(description)}</desc>',
            f'<rect x="{coord(min_x)}" y="{coord(min_y)}" width="{coord(width)}" '
            f'height="{coord(height)}" fill="#FFFFFF"/>',
            '<g class="ksr-lines">',
            *lines,
            "</g>",
            '<g class="ksr-partnerships">',
            *bands,
            "</g>",
            '<g class="ksr-members">',
            *shapes,
            "</g>",
            '<g class="ksr-labels">',
            *labels,
            "</g>",
            '<g class="ksr-centre">',
            *centre,
            "</g>",
            '<g class="ksr-legend">',
            *legend,
            "</g>",
            "</svg>",
        ]
    )
    return mark_safe(body)  # noqa: S308 - every text and attribute value above is escaped

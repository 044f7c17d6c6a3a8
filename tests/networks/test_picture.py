"""The SVG picture of a network: well-formed, accessible, readable, escaped."""

import math
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from networks.models import ContributionKind, MemberRole, Membership, Network, Partnership
from networks.models import PartnershipMember as PM
from networks.picture import NODE_RADIUS, TYPE_COLOURS, TYPE_SHAPES, network_svg
from networks.services.networks import (
    lsr_create,
    membership_add,
    membership_end,
    partnership_add_partner,
    partnership_create,
)
from stakeholders.models import InstitutionKind, Organisation, Sector

pytestmark = pytest.mark.django_db

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
SHAPE_TAGS = {"circle": "circle", "square": "rect", "diamond": "polygon"}


def org(gmina, name, kind="C", institution=InstitutionKind.CULTURE, short_name=""):
    return Organisation.objects.create(
        name=name,
        short_name=short_name,
        stakeholder_type=kind,
        institution_kind=institution,
        sector=Sector.PUBLIC,
        gmina=gmina,
    )


@pytest.fixture
def lsr(territory, personas):
    return lsr_create(
        user=personas["admin"], gmina=territory["zmudz"], network=Network(name="LSR Żmudź")
    )


def picture(network):
    memberships = Membership.objects.filter(network=network).select_related("organisation")
    partnerships = Partnership.objects.filter(network=network).prefetch_related("partners")
    svg = network_svg(network, memberships, partnerships)
    return svg, ET.fromstring(svg)


def nodes(root):
    return [g for g in root.iter(f"{SVG}g") if "ksr-node" in g.get("class", "").split()]


def centre_of(group):
    x, y = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", group.get("transform")).groups()
    return float(x), float(y)


def title_of(group):
    return group.find("svg:title", NS).text


def test_well_formed_accessible_and_without_inline_styles(lsr, territory):
    kis = org(territory["zmudz"], "Klub Integracji Społecznej", "A", InstitutionKind.KIS)
    membership_add(network=lsr, organisation=kis, role=MemberRole.MAIN_NODE)
    membership_add(network=lsr, organisation=org(territory["zmudz"], "GOPS", "B"))
    svg, root = picture(lsr)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") and not root.get("width")
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title.text and "LSR Żmudź" in title.text
    assert desc.text and "Klub Integracji Społecznej" in desc.text
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert "style" not in svg
    assert all("style" not in el.attrib for el in root.iter())
    for text in root.iter(f"{SVG}text"):
        assert text.get("font-family") == "DejaVu Sans, sans-serif"
    assert network_svg(*_args(lsr)) == svg  # deterministic


def _args(network):
    return (
        network,
        Membership.objects.filter(network=network).select_related("organisation"),
        Partnership.objects.filter(network=network).prefetch_related("partners"),
    )


def test_one_node_per_active_member_with_type_colour_shape_and_letter(lsr, territory):
    gmina = territory["zmudz"]
    kis = org(gmina, "KIS", "A", InstitutionKind.KIS)
    membership_add(network=lsr, organisation=kis, role=MemberRole.MAIN_NODE)
    members = [
        org(gmina, "Spółdzielnia Socjalna", "A", InstitutionKind.SOCIAL_ENTERPRISE),
        org(gmina, "GOPS", "B", InstitutionKind.SOCIAL_ASSISTANCE),
        org(gmina, "Szkoła Podstawowa", "C", InstitutionKind.EDUCATION),
        org(gmina, "Centrum Kultury", "C"),
    ]
    for organisation in members:
        membership_add(network=lsr, organisation=organisation, joined_on=date(2020, 1, 1))
    gone = org(gmina, "Były członek", "C")
    old = membership_add(network=lsr, organisation=gone, joined_on=date(2020, 1, 1)).obj
    membership_end(membership=old, left_on=date(2021, 1, 1))

    _svg, root = picture(lsr)
    drawn = nodes(root)
    assert len(drawn) == 1 + len(members)
    assert not any("Były członek" in title_of(g) for g in drawn)
    main = [g for g in drawn if "ksr-main" in g.get("class").split()]
    assert len(main) == 1 and centre_of(main[0]) == (0.0, 0.0)
    assert title_of(main[0]).startswith("KIS")
    for group in drawn:
        kind = re.search(r"ksr-type-([ABC])", group.get("class")).group(1)
        shape = group.find(f"svg:{SHAPE_TAGS[TYPE_SHAPES[kind]]}", NS)
        if "ksr-main" in group.get("class"):
            shape = group.findall("svg:*", NS)[2]
        assert shape.get("fill") == TYPE_COLOURS[kind]
        assert group.find("svg:text", NS).text == kind
        if "ksr-main" not in group.get("class"):
            assert centre_of(group) != (0.0, 0.0)
    assert len(set(TYPE_COLOURS.values())) == 3 and len(set(TYPE_SHAPES.values())) == 3


def _luminance(hex_colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_type_colours_contrast_with_white():
    for colour in TYPE_COLOURS.values():
        assert 1.05 / (_luminance(colour) + 0.05) >= 3


def test_partnership_members_are_neighbours_under_a_labelled_arc(lsr, territory):
    gmina = territory["zmudz"]
    kis = org(gmina, "KIS", "A", InstitutionKind.KIS)
    membership_add(network=lsr, organisation=kis, role=MemberRole.MAIN_NODE)
    others = [org(gmina, f"Organizacja {i:02d}", "ABC"[i % 3]) for i in range(10)]
    for organisation in others:
        membership_add(network=lsr, organisation=organisation)
    pact = partnership_create(
        network=lsr, partnership=Partnership(name="Pakt dla Żmudzi", goal="Wspólne działania")
    )
    chosen = [others[1], others[5], others[9]]
    for organisation in chosen:
        partnership_add_partner(
            partnership=pact,
            partner=PM(
                organisation=organisation,
                role="partner",
                contribution_kind=ContributionKind.KNOWLEDGE,
                contribution="wiedza",
            ),
        )
    _svg, root = picture(lsr)
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "ksr-partnership-label"]
    assert [t.text for t in labels] == ["Pakt dla Żmudzi"]
    arcs = root.findall(".//svg:g[@class='ksr-partnership']/svg:path", NS)
    assert len(arcs) == 1
    legend = " ".join(t.text or "" for t in root.find(".//svg:g[@class='ksr-legend']", NS).iter())
    assert "Pakt dla Żmudzi" in legend
    ring = [g for g in nodes(root) if "ksr-main" not in g.get("class")]
    angles = {title_of(g).split(" (")[0]: math.atan2(*reversed(centre_of(g))) for g in ring}
    order = sorted(angles, key=lambda name: (angles[name] + math.pi / 2) % (2 * math.pi))
    positions = sorted(order.index(o.name) for o in chosen)
    assert positions == list(range(positions[0], positions[0] + 3))


def test_sixty_members_do_not_overlap(lsr, territory):
    gmina = territory["zmudz"]
    membership_add(
        network=lsr,
        organisation=org(gmina, "KIS", "A", InstitutionKind.KIS),
        role=MemberRole.MAIN_NODE,
    )
    for i in range(60):
        membership_add(network=lsr, organisation=org(gmina, f"Członek sieci nr {i}", "ABC"[i % 3]))
    _svg, root = picture(lsr)
    centres = [centre_of(g) for g in nodes(root)]
    assert len(centres) == 61
    rings = {round(math.hypot(x, y)) for x, y in centres if (x, y) != (0.0, 0.0)}
    assert len(rings) >= 3
    for i, a in enumerate(centres):
        for b in centres[i + 1 :]:
            assert math.dist(a, b) >= 2 * NODE_RADIUS


def test_names_are_escaped(lsr, territory):
    gmina = territory["zmudz"]
    membership_add(
        network=lsr,
        organisation=org(gmina, "Klub <script>", "A", InstitutionKind.KIS),
        role=MemberRole.MAIN_NODE,
    )
    membership_add(network=lsr, organisation=org(gmina, "Kowalski & Syn <sp. z o.o.>", "C"))
    svg, root = picture(lsr)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "Kowalski &amp; Syn" in svg
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and t.startswith("Kowalski & Syn") for t in texts)


def test_empty_network_has_a_placeholder(lsr):
    svg, root = picture(lsr)
    assert nodes(root) == []
    assert root.find(".//svg:circle[@class='ksr-placeholder']", NS) is not None
    assert root.find("svg:title", NS).text
    assert root.get("viewBox")


def test_members_without_main_node(lsr, territory):
    membership_add(network=lsr, organisation=org(territory["zmudz"], "GOPS", "B"))
    _svg, root = picture(lsr)
    assert len(nodes(root)) == 1
    assert root.find(".//svg:circle[@class='ksr-placeholder']", NS) is not None

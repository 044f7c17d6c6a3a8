"""Printed documents of an LSR: partnership agreements, letters, the voivodeship batch and the
print_documents command (ksr_portal.printing)."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from ksr_portal.core.pdf import render_pdf
from ksr_portal.printing import agreements
from networks.models import MemberRole, Membership, Partnership, PartnershipMember
from networks.services import networks as network_services
from stakeholders.models import ContactPerson, InstitutionKind, Sector
from tests.builders import make_lsr, make_org
from tests.factories import CountyFactory, GminaFactory
from tests.pdf_utils import assert_no_blank_page, pages_text, words_off_the_page

VALID_NIP = "5260250274"


# --- helpers --------------------------------------------------------------------------------------


def get_pdf(client, url, status=200, language="en"):
    """The PDF at ``url``, in English by default: the msgids, whatever the catalogue holds."""
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response.content


def contact(org, name, function="dyrektor"):
    return ContactPerson.objects.create(
        organisation=org, name=name, function=function, legal_basis="public_task"
    )


# --- data -------------------------------------------------------------------------------------------


@pytest.fixture
def rich_lsr(full_lsr, kis):
    """The Żmudź LSR with goals, a seat, addresses, identifiers, representatives and a partnership."""
    full_lsr.vision = "Gmina, w której każdy znajdzie wsparcie i pracę."
    full_lsr.mission = "Łączymy instytucje gminy na rzecz reintegracji."
    full_lsr.main_goal = "Zwiększenie dostępu do usług reintegracji społecznej i zawodowej."
    full_lsr.specific_goals = "Rozwój usług KIS\nWłączenie przedsiębiorców"
    full_lsr.seat = "Żmudź 12, 22-130 Żmudź"
    full_lsr.meeting_rhythm = "raz na kwartał"
    full_lsr.save()
    people = {
        "KIS w Żmudzi": ("Zofia Źdźbło", "kierowniczka KIS"),
        "Gminne Centrum Kultury": ("Łukasz Gęślarz", "dyrektor"),
        "Firma Lokalna": ("Ścibor Żółtowski", "prezes zarządu"),
        "GOPS Żmudź": ("Jadwiga Ćwik", "kierowniczka GOPS"),
    }
    for membership in full_lsr.memberships.select_related("organisation"):
        org = membership.organisation
        org.street = "ul. Główna 1"
        org.postal_code = "22-130"
        org.city = "Żmudź"
        org.nip = VALID_NIP if org.name == "Firma Lokalna" else ""
        org.regon = "123456785" if org.name == "GOPS Żmudź" else ""
        org.krs = "0000123456" if org.name == "KIS w Żmudzi" else ""
        org.save()
        name, function = people[org.name]
        network_services.membership_set_representatives(
            membership=membership, representatives=[contact(org, name, function)]
        )
    partnership = network_services.partnership_create(
        network=full_lsr,
        partnership=Partnership(name="Partnerstwo na rzecz seniorów", goal="Usługi dla seniorów."),
    )
    culture = full_lsr.memberships.get(organisation__name="Gminne Centrum Kultury").organisation
    for org, role, kind, what, amount in (
        (kis, "lider", "staff_hours", "Zajęcia grupowe prowadzone przez KIS", Decimal("120")),
        (culture, "partner merytoryczny", "premises", "Sala widowiskowa na spotkania", None),
    ):
        network_services.partnership_add_partner(
            partnership=partnership,
            partner=PartnershipMember(
                organisation=org,
                role=role,
                contribution_kind=kind,
                contribution=what,
                amount=amount,
            ),
        )
    full_lsr.partnership = partnership
    return full_lsr


def sixty_member_lsr(user, gmina):
    network = make_lsr(user, gmina, name="LSR " + "Bardzo Długa Nazwa Sieci " * 8)
    kis = make_org(gmina, "A", InstitutionKind.KIS, Sector.NGO, name="KIS " + "Ż" * 120)
    network_services.membership_add(network=network, organisation=kis, role=MemberRole.MAIN_NODE)
    for n in range(59):
        long_word = "Stowarzyszenie" + "Przyjaciół" * 12  # one 134-letter word: no break point
        org = make_org(
            gmina,
            "C",
            name=f"{n:02d} {long_word} Ziemi Żmudzkiej i Okolic – organizacja nr {n}",
            street="ul. Bardzo Długa Ulica Imienia Zasłużonych Działaczy Społecznych 123/45",
            postal_code="22-130",
            city="Żmudź",
            nip=VALID_NIP,
        )
        membership = network_services.membership_add(network=network, organisation=org).obj
        membership.representatives.set([contact(org, f"Przedstawiciel Numer{n:02d}")])
    return network


# --- the LSR agreement ------------------------------------------------------------------------------


def test_lsr_agreement_holds_parties_identifiers_representatives_and_principles(
    rich_lsr, personas, login
):
    client = login(personas["animator"])
    with translation.override("en"):
        pdf = get_pdf(client, reverse("printing:agreement_pdf", args=[rich_lsr.pk]))
    text = " ".join(pages_text(pdf))
    for name in ("KIS w Żmudzi", "Gminne Centrum Kultury", "Firma Lokalna", "GOPS Żmudź"):
        assert name in text
    assert f"NIP {VALID_NIP}" in text
    assert "REGON 123456785" in text
    assert "KRS 0000123456" in text
    for person in ("Zofia Źdźbło", "Łukasz Gęślarz", "Ścibor Żółtowski", "Jadwiga Ćwik"):
        assert person in text
    assert "ul. Główna 1, 22-130 Żmudź" in text
    # the model's rules as numbered paragraphs
    for principle in (
        "openness of membership",
        "democracy",
        "transparency",
        "subsidiarity",
        "political neutrality",
    ):
        assert principle in text
    assert "written declaration of accession" in text
    assert "written notice" in text
    assert "indefinite period" in text
    assert "§ 1" in text and "§ 7" in text
    # the goals, the seat, the main node and its five tasks
    assert "Łączymy instytucje gminy na rzecz reintegracji." in text
    assert "Włączenie przedsiębiorców" in text
    assert "Żmudź 12, 22-130 Żmudź" in text
    assert "The main node (hub leader) of the LSR is KIS w Żmudzi." in text
    assert "Link the LSR with the RSR" in text
    assert "Signatures of the Parties" in text
    # complete data: no "to be completed" box, except the missing identifier of one party
    assert "No representative named" not in text
    assert_no_blank_page(pdf)


def test_lsr_agreement_in_polish_with_the_provided_translations(rich_lsr, tmp_path):
    """The portal's Polish translations give the Polish legal text."""
    with translation.override("pl"):
        agreement = agreements.lsr_agreement(rich_lsr)
        pdf = render_pdf(
            "printing/agreement_pdf.html", {"network": rich_lsr, "agreement": agreement}
        )
        letters = render_pdf(
            "printing/letters_pdf.html",
            {
                "network": rich_lsr,
                "letters": agreements.letter_set(
                    rich_lsr, agreements.LETTER_KINDS["list-intencyjny"]
                ),
            },
        )
    text = " ".join(pages_text(pdf))
    assert "Porozumienie na rzecz Lokalnej Sieci Reintegracji" in text
    for phrase in (
        "jawności",
        "pomocniczości",
        "apolityczności",
        "demokracji",
        "czas nieokreślony",
    ):
        assert phrase in text
    assert "Podpisy Stron" in text
    letter_text = " ".join(pages_text(letters))
    assert "list intencyjny" in letter_text
    assert "Z wyrazami szacunku" in letter_text


def test_partnership_agreement_states_each_partners_role_and_contribution(
    rich_lsr, personas, login
):
    client = login(personas["admin"])
    url = reverse("printing:partnership_agreement_pdf", args=[rich_lsr.pk, rich_lsr.partnership.pk])
    assert url.endswith(f"/partnerstwa/{rich_lsr.partnership.pk}/porozumienie.pdf")
    with translation.override("en"):
        pdf = get_pdf(client, url)
    text = " ".join(pages_text(pdf))
    assert "Partnerstwo na rzecz seniorów" in text
    assert "Zajęcia grupowe prowadzone przez KIS" in text
    assert "Sala widowiskowa na spotkania" in text
    assert "partner merytoryczny" in text
    assert "120" in text
    assert "Zofia Źdźbło" in text and "Łukasz Gęślarz" in text
    assert "leader of the partnership" in text
    # a non-partner member is not a party
    assert "Ścibor Żółtowski" not in text
    assert_no_blank_page(pdf)


def test_partnership_of_another_lsr_is_not_found(rich_lsr, personas, login, territory):
    other = make_lsr(personas["admin"], territory["rejowiec"])
    client = login(personas["admin"])
    url = reverse("printing:partnership_agreement_pdf", args=[other.pk, rich_lsr.partnership.pk])
    assert client.get(url).status_code == 404


def test_an_lsr_without_members_gets_a_valid_document_saying_what_is_missing(lsr, personas, login):
    client = login(personas["animator"])
    with translation.override("en"):
        pdf = get_pdf(client, reverse("printing:agreement_pdf", args=[lsr.pk]))
        letters = get_pdf(client, reverse("printing:letters_pdf", args=[lsr.pk, "zaproszenie"]))
    text = " ".join(pages_text(pdf))
    assert "The LSR has no active members yet" in text
    assert "Not described yet: vision, mission, main goal, specific goals." in text
    assert "The seat of the LSR is not given." in text
    assert "no parties yet" in text
    assert "There is no addressee" in " ".join(pages_text(letters))
    assert_no_blank_page(pdf)
    assert_no_blank_page(letters)


def test_a_partnership_without_partners_gets_a_valid_document(full_lsr, personas, login):
    partnership = network_services.partnership_create(
        network=full_lsr, partnership=Partnership(name="Puste partnerstwo", goal="Cel.")
    )
    client = login(personas["admin"])
    with translation.override("en"):
        pdf = get_pdf(
            client,
            reverse("printing:partnership_agreement_pdf", args=[full_lsr.pk, partnership.pk]),
        )
    text = " ".join(pages_text(pdf))
    assert "The task partnership has no partners yet" in text
    assert "The leader of the Partnership is KIS w Żmudzi." in text


def test_sixty_members_with_long_names_fill_several_pages_without_overflow(
    personas, territory, login
):
    network = sixty_member_lsr(personas["admin"], territory["zmudz"])
    client = login(personas["admin"])
    with translation.override("en"):
        pdf = get_pdf(client, reverse("printing:agreement_pdf", args=[network.pk]))
    pages = pages_text(pdf)
    assert len(pages) >= 8
    text = " ".join(pages)
    assert "organizacja nr 0" in text and "organizacja nr 58" in text
    assert words_off_the_page(pdf) == []
    assert_no_blank_page(pdf)
    # every signature block stays on one page: the party's name (its last occurrence, in the
    # signature block) shares the page with its representative (last occurrence as well)
    signatures_from = next(i for i, page in enumerate(pages) if "Signatures of the Parties" in page)
    for n in range(59):
        name_page = max(i for i, page in enumerate(pages) if f"organizacja nr {n} " in page + " ")
        person_page = max(i for i, page in enumerate(pages) if f"Numer{n:02d}" in page)
        assert name_page == person_page >= signatures_from
    caption = "legible signature of the representative"
    assert sum(page.count(caption) for page in pages) == 60


# --- letters ----------------------------------------------------------------------------------------


def test_letters_one_per_page_for_three_chosen_addressees(rich_lsr, personas, login, territory):
    orgs = [m.organisation for m in rich_lsr.memberships.exclude(role=MemberRole.MAIN_NODE)]
    assert len(orgs) == 3
    client = login(personas["animator"])
    query = "&".join(f"to={o.pk}" for o in orgs)
    url = reverse("printing:letters_pdf", args=[rich_lsr.pk, "list-intencyjny"]) + "?" + query
    with translation.override("en"):
        pdf = get_pdf(client, url)
    pages = pages_text(pdf)
    assert len(pages) == 3
    for org, page in zip(orgs, pages, strict=True):
        assert org.name in page
        assert [o.name for o in orgs if o.name in page] == [org.name]
        assert "KIS w Żmudzi" in page  # the sender, the main node
        assert "Zofia Źdźbło" in page  # the signature of the LSR coordinator
        assert "LSR coordinator" in page
        assert "22-130 Żmudź" in page
        assert "letter of intent" in page
    assert_no_blank_page(pdf)


def test_invitation_to_the_working_group_goes_by_default_to_every_member_but_the_main_node(
    rich_lsr, personas, login
):
    client = login(personas["admin"])
    with translation.override("en"):
        pdf = get_pdf(client, reverse("printing:letters_pdf", args=[rich_lsr.pk, "zaproszenie"]))
    pages = pages_text(pdf)
    assert len(pages) == 3
    assert all("working group" in page for page in pages)
    members = ["Firma Lokalna", "GOPS Żmudź", "Gminne Centrum Kultury"]
    # the addressee block comes before the subject ("Re: ..."); the sender is the main node
    addressees = [[m for m in members if m in page.split("Re:")[0]] for page in pages]
    assert sorted(a for found in addressees for a in found) == sorted(members)
    assert all(len(found) == 1 for found in addressees)
    assert all("KIS w Żmudzi" in page.split("Re:")[0] for page in pages)


def test_letters_reject_unknown_kinds_bad_ids_and_organisations_out_of_scope(
    rich_lsr, personas, login, territory
):
    client = login(personas["animator"])
    base = reverse("printing:letters_pdf", args=[rich_lsr.pk, "list-intencyjny"])
    assert (
        client.get(reverse("printing:letters_pdf", args=[rich_lsr.pk, "inne"])).status_code == 404
    )
    assert client.get(base + "?to=abc").status_code == 400
    elsewhere = make_org(territory["warsaw"], "C", name="Organizacja w Warszawie")
    assert client.get(base + f"?to={elsewhere.pk}").status_code == 404
    # an organisation of the gmina that is not a member yet may receive the letter of intent
    newcomer = make_org(territory["zmudz"], "C", name="Biblioteka Publiczna w Żmudzi")
    pdf = get_pdf(client, base + f"?to={newcomer.pk}")
    assert "Biblioteka Publiczna w Żmudzi" in pages_text(pdf)[0]


# --- scoping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("animator", 200),
        ("admin", 200),
        ("other_animator", 404),
        ("other_rops", 404),
        ("rops", 403),
        ("ksr", 403),
    ],
)
def test_who_may_print_an_lsr_agreement(rich_lsr, personas, login, persona, status):
    client = login(personas[persona])
    urls = [
        reverse("printing:agreement_pdf", args=[rich_lsr.pk]),
        reverse("printing:partnership_agreement_pdf", args=[rich_lsr.pk, rich_lsr.partnership.pk]),
        reverse("printing:letters_pdf", args=[rich_lsr.pk, "zaproszenie"]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url


def test_a_partner_representative_of_a_member_may_not_print(rich_lsr, personas, login):
    partner = personas["partner"]
    partner.organisation = rich_lsr.memberships.get(organisation__name="Firma Lokalna").organisation
    partner.save()
    client = login(partner)
    assert client.get(reverse("printing:agreement_pdf", args=[rich_lsr.pk])).status_code == 403


def test_printing_needs_a_login_and_a_get(rich_lsr, client, personas, login):
    url = reverse("printing:agreement_pdf", args=[rich_lsr.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert login(personas["admin"]).post(url).status_code == 405


def test_the_documents_page_links_every_document(rich_lsr, personas, login):
    client = login(personas["animator"])
    response = client.get(reverse("printing:documents", args=[rich_lsr.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert reverse("printing:agreement_pdf", args=[rich_lsr.pk]) in html
    assert (
        reverse("printing:partnership_agreement_pdf", args=[rich_lsr.pk, rich_lsr.partnership.pk])
        in html
    )
    for kind in agreements.LETTER_KINDS:
        assert reverse("printing:letters_pdf", args=[rich_lsr.pk, kind]) in html
    card = rich_lsr.cards.order_by("number").first()
    assert reverse("procedures:card_pdf", args=[rich_lsr.pk, card.pk]) in html


def test_the_documents_page_shows_only_card_pdfs_to_readers(rich_lsr, personas, login):
    response = login(personas["rops"]).get(reverse("printing:documents", args=[rich_lsr.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("printing:agreement_pdf", args=[rich_lsr.pk]) not in html
    assert "/karty/" in html
    other = login(personas["other_animator"]).get(reverse("printing:documents", args=[rich_lsr.pk]))
    assert other.status_code == 404


# --- the voivodeship batch --------------------------------------------------------------------------


@pytest.fixture
def two_lsrs_in_lubelskie(rich_lsr, personas, territory):
    rejowiec = make_lsr(personas["admin"], territory["rejowiec"], name="LSR Rejowiec")
    org = make_org(territory["rejowiec"], "A", InstitutionKind.KIS, Sector.NGO, name="KIS Rejowiec")
    network_services.membership_add(network=rejowiec, organisation=org, role=MemberRole.MAIN_NODE)
    make_lsr(personas["admin"], territory["warsaw"], name="LSR Warszawa")
    return rich_lsr, rejowiec


def test_batch_of_a_voivodeship_holds_every_lsr_each_from_a_new_page(
    two_lsrs_in_lubelskie, personas, login
):
    zmudz, rejowiec = two_lsrs_in_lubelskie
    client = login(personas["admin"])
    url = reverse("printing_batch:agreements_batch", args=["06"])
    assert url == "/dokumenty/wojewodztwo/06/porozumienia.pdf"
    with translation.override("en"):
        pdf = get_pdf(client, url)
    pages = pages_text(pdf)
    text = " ".join(pages)
    assert zmudz.name in text and rejowiec.name in text
    assert "LSR Warszawa" not in text
    assert "KIS w Żmudzi" in text and "KIS Rejowiec" in text
    title = "Agreement for the Local Reintegration Network"
    # each LSR's agreement starts on a page of its own, with its title at the top
    zmudz_start = [
        i for i, page in enumerate(pages) if title in page[:300] and zmudz.name in page[:400]
    ]
    rejowiec_start = [
        i for i, page in enumerate(pages) if title in page[:300] and rejowiec.name in page[:400]
    ]
    assert len(zmudz_start) == 1 and len(rejowiec_start) == 1
    assert rejowiec_start[0] < zmudz_start[0]  # by gmina name
    assert_no_blank_page(pdf)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("rops", 403), ("animator", 403), ("ksr", 403), ("partner", 403), ("admin", 200)],
)
def test_only_national_printers_get_the_batch(
    two_lsrs_in_lubelskie, personas, login, persona, status
):
    client = login(personas[persona])
    url = reverse("printing_batch:agreements_batch", args=["06"])
    assert client.get(url).status_code == status


def test_batch_of_an_unknown_or_empty_voivodeship(territory, personas, login):
    client = login(personas["admin"])
    assert client.get(reverse("printing_batch:agreements_batch", args=["99"])).status_code == 404
    assert client.get("/dokumenty/wojewodztwo/abc/porozumienia.pdf").status_code == 404
    with translation.override("en"):
        pdf = get_pdf(client, reverse("printing_batch:agreements_batch", args=["14"]))
    assert "There is no LSR in the voivodeship mazowieckie yet." in " ".join(pages_text(pdf))


# --- the print_documents command ------------------------------------------------------------------


def _expected_files(network) -> set[str]:
    names = {
        "porozumienie.pdf",
        "pisma-list-intencyjny.pdf",
        "pisma-zaproszenie.pdf",
        *(f"partnerstwo-{p.pk}-porozumienie.pdf" for p in network.partnerships.all()),
    }
    return names


@pytest.mark.parametrize("lsr_arg", ["żmudź", "0603142"])
def test_print_documents_writes_the_lsr_documents(rich_lsr, tmp_path, lsr_arg):
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "print_documents", "--lsr", lsr_arg, "--out", str(tmp_path / "out"), stdout=out
        )
    files = {p.name for p in (tmp_path / "out").iterdir()}
    assert _expected_files(rich_lsr) <= files
    cards = {name for name in files if name.startswith("karta-")}
    assert len(cards) == rich_lsr.cards.count() >= 13
    assert any(name.startswith("karta-01-") for name in cards)
    # the evaluation report is written only when the evaluation module is there and the LSR has one
    assert "raport-ewaluacyjny.pdf" not in files
    assert "Evaluation report skipped" in out.getvalue()
    for path in (tmp_path / "out").iterdir():
        assert path.read_bytes().startswith(b"%PDF")
    agreement = " ".join(pages_text((tmp_path / "out" / "porozumienie.pdf").read_bytes()))
    assert "KIS w Żmudzi" in agreement


def test_print_documents_rejects_an_unknown_lsr(territory, tmp_path):
    with pytest.raises(CommandError, match="No LSR found"):
        call_command("print_documents", "--lsr", "Atlantyda", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="No LSR found"):
        call_command("print_documents", "--lsr", "0603999", "--out", str(tmp_path))


def test_print_documents_lists_the_matches_of_an_ambiguous_name(lsr, personas, territory, tmp_path):
    county = CountyFactory(
        code="1401", name="powiat białobrzeski", voivodeship=territory["mazowieckie"]
    )
    other = GminaFactory(code="1401052", name="Żmudź", county=county)
    make_lsr(personas["admin"], other)
    with pytest.raises(CommandError) as error:
        call_command("print_documents", "--lsr", "Żmudź", "--out", str(tmp_path))
    message = str(error.value)
    assert "0603142" in message and "1401052" in message
    assert list(tmp_path.iterdir()) == []


def test_print_documents_exits_non_zero_on_errors(territory, tmp_path, capsys):
    from ksr_portal.printing.management.commands.print_documents import Command

    argv = ["manage.py", "print_documents", "--skip-checks", "--lsr", "Atlantyda"]
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv([*argv, "--out", str(tmp_path)])
    assert exit_.value.code != 0
    assert "No LSR found" in capsys.readouterr().err


def test_membership_history_is_kept_when_a_member_leaves(rich_lsr):
    """A member that left is no longer a party; its membership period stays in the history."""
    membership = rich_lsr.memberships.get(organisation__name="Firma Lokalna")
    network_services.membership_end(membership=membership, left_on=membership.joined_on)
    agreement = agreements.lsr_agreement(rich_lsr)
    assert "Firma Lokalna" not in [p.name for p in agreement.parties]
    assert Membership.objects.filter(pk=membership.pk, left_on__isnull=False).exists()

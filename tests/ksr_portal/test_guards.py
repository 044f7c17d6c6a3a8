"""Site-wide guards: every page answers, has one <h1>, is Polish; the role table is written once."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stakeholders.roles import CAPABILITIES, Role

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "ksr_portal" / "locale" / "pl" / "LC_MESSAGES" / "django.po"


def argless_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "djdt") or pattern.pattern.regex.groupindex:
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from argless_url_names(pattern, ns)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and not pattern.pattern.regex.groupindex
        ):
            yield namespace + pattern.name


@pytest.mark.django_db
def test_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_every_argless_named_url_answers_for_every_role(client, personas):
    names = sorted(set(argless_url_names()) - {"logout", "set_language"})
    assert len(names) > 10
    for persona in personas.values():
        client.force_login(persona)
        for name in names:
            response = client.get(reverse(name))
            assert response.status_code in (200, 302, 403), (
                f"{name} for {persona}: {response.status_code}"
            )
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                body = response.content.decode()
                assert len(re.findall(r"<h1[\s>]", body)) == 1, f"{name}: one <h1> expected"
                assert '<html lang="pl">' in body
                assert '<main id="main"' in body


def test_capability_table_in_readme_matches_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- capabilities:start -->")[1].split("<!-- capabilities:end -->")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    table = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        table[cells[0].strip("`")] = cells[2:]
    header = [line for line in section.splitlines() if line.startswith("| capability")][0]
    roles = [c.strip() for c in header.strip("|").split("|")][2:]
    assert roles == [r.value for r in Role]
    assert set(table) == set(CAPABILITIES)
    for capability, marks in table.items():
        readme_roles = {role for role, mark in zip(roles, marks, strict=True) if mark == "✔"}
        assert readme_roles == set(CAPABILITIES[capability]), capability


def test_polish_translations_are_complete():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    text = PO_FILE.read_text(encoding="utf-8")
    assert "nplurals=4" in text


def test_polish_plural_forms(settings):
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("pl"):
        forms = [
            ngettext("%(counter)s gmina", "%(counter)s gminas", n) % {"counter": n}
            for n in (1, 3, 5, 22, 25)
        ]
    assert forms == ["1 gmina", "3 gminy", "5 gmin", "22 gminy", "25 gmin"]

"""The shipped theme list (``data/themes.yaml``): loaded by migration 0002_themes and again by
``themes_ensure`` (the demo loader, tests that flush the database)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

THEMES_FILE = Path(__file__).resolve().parent / "data" / "themes.yaml"


@cache
def theme_data() -> tuple[dict[str, Any], ...]:
    return tuple(yaml.safe_load(THEMES_FILE.read_text(encoding="utf-8")))


def themes_ensure(theme_model: Any = None) -> int:
    """Create or update every shipped theme; returns how many there are."""
    if theme_model is None:
        from .models import Theme as theme_model
    for position, entry in enumerate(theme_data()):
        theme_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "keywords": list(entry.get("keywords", [])),
                "position": position,
            },
        )
    return len(theme_data())

"""The seed's data files (`ksr_portal/seed/data/`), found next to this module wherever the
package is installed, read once per process."""

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load_yaml(name: str) -> Any:
    """The parsed YAML file `name` (shared between callers: do not change it)."""
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the CSV file `name` (header row first) as dictionaries."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))

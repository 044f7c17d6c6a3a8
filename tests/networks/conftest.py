"""Network fixtures live in tests/conftest.py; the builders are re-exported for old imports."""

from tests.builders import make_lsr, make_org

__all__ = ["make_lsr", "make_org"]

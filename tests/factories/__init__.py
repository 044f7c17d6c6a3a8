"""factory_boy factories for every model: ``apps`` for the four apps and evaluations,
``composition`` for the composition packages. ``from tests.factories import XFactory``."""

from .apps import *  # noqa: F403
from .composition import *  # noqa: F403
from .recommendations import *  # noqa: F403

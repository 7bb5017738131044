"""Default settings (development and tests): everything from the environment, see base.py."""

from .base import *  # noqa: F403

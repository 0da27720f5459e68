"""Typed settings for Slate: environment, an optional ``.env`` and a TOML file."""

from config.models import ModelSpec
from config.settings import Settings, SettingsError, load_settings

__all__ = ["ModelSpec", "Settings", "SettingsError", "load_settings"]

"""Settings: the typed model (``model.py``) and its 0600 TOML file with environment overrides (``files.py``)."""

from kufertui.config.files import (
    ConfigError,
    load_settings,
    redacted_dict,
    save_settings,
    secret_forms,
    settings_from_dict,
    settings_to_dict,
)
from kufertui.config.model import PERMISSIONS, Secret, Settings, permission_code

__all__ = [
    "PERMISSIONS", "ConfigError", "Secret", "Settings", "load_settings", "permission_code", "redacted_dict",
    "save_settings", "secret_forms", "settings_from_dict", "settings_to_dict",
]

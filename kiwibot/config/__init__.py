"""Read and validate the YAML configuration file.

The people running kiwibot are administrators, not Python developers, so a bad config must never
end in a traceback: every problem becomes one line naming the key, what was found and what is
expected, and all of them are reported at once so one edit round fixes everything.

Why pydantic: the checks themselves (types, ranges, choices, unknown keys, collecting every error
with its location) are what a well-kept validation library does, so they are declared as types
(`fields.py`) on frozen dataclasses (`model.py`) instead of ~700 lines of hand-written readers.
What stays ours is the wording operators see (`load.py`), YAML quirks and secrets from the environment.
"""

from kiwibot.config.load import ENV_ACCESS_TOKEN, ENV_PASSWORD, ConfigError, load_config, parse_config
from kiwibot.config.model import (
    AccessConfig,
    Config,
    DigestConfig,
    EncryptionConfig,
    LimitsConfig,
    PrivacyConfig,
    ReportsConfig,
    RolesConfig,
    RoomsConfig,
    WebConfig,
)

__all__ = [
    "ENV_ACCESS_TOKEN",
    "ENV_PASSWORD",
    "AccessConfig",
    "Config",
    "ConfigError",
    "DigestConfig",
    "EncryptionConfig",
    "LimitsConfig",
    "PrivacyConfig",
    "ReportsConfig",
    "RolesConfig",
    "RoomsConfig",
    "WebConfig",
    "load_config",
    "parse_config",
]

"""Runtime settings, read from ``SPASMCARE_*`` environment variables when :func:`get_settings` is called.

Nothing happens at import time: no directory is created and no environment is read until asked.

The settings are a plain pydantic model that reads its environment variables itself (names in any
case; a value given to ``Settings(...)`` wins over the environment). It replaced pydantic-settings,
whose import alone took 30-45 ms of every command's start, for a dozen lines.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from spasmcare.wording import DEFAULT_EMERGENCY_CALL

DIARY_FILE = "diary.sqlite3"
"""The default diary's file name inside the user data directory."""
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
"""Host names that always reach the server from the same machine (a browser cannot be made to send
them from another site's page, so they are safe from DNS rebinding)."""
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "[::]")
MIN_SECRET_KEY = 32
_HOST_PATTERN = re.compile(
    r"^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
    r"|^\[[0-9a-f:.]+\]$"
)


def host_name(address: str) -> str:
    """How an address appears in a Host header: IPv6 literals in brackets, lower case."""
    address = address.strip().lower()
    if ":" in address and not address.startswith("["):
        return f"[{address}]"
    return address


ENV_PREFIX = "SPASMCARE_"


class Settings(BaseModel):
    """spasmcare's settings; each field can be set as ``SPASMCARE_<NAME>``."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _read_environment(cls, data: Any) -> Any:
        """The ``SPASMCARE_*`` variables (names in any case), under the values given."""
        if not isinstance(data, dict):
            return data
        prefix = ENV_PREFIX.lower()
        found = {
            name: value
            for key, value in os.environ.items()
            if (lower := key.lower()).startswith(prefix)
            and (name := lower[len(prefix) :]) in cls.model_fields
        }
        return {**found, **data}

    emergency_number: str | None = Field(
        default=None,
        description="The emergency number to show (e.g. 911). Unset: generic wording naming the "
        "common numbers.",
        max_length=20,
    )
    data_dir: Path | None = Field(
        default=None, description="Where user data lives; default: the platform's user data folder."
    )
    cache_dir: Path | None = Field(
        default=None,
        description="Where the command line keeps parsed knowledge files (no health data); "
        "default: the platform's user cache folder.",
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the diary; default: SQLite in data_dir."
    )
    knowledge_version: str | None = Field(
        default=None, description="Knowledge-base version to use; default: the newest shipped."
    )
    multi_user: bool = False
    host: str = Field(
        default="127.0.0.1",
        description="The address the server listens on; its Host name is always accepted.",
    )
    port: int = Field(default=8000, ge=1, le=65535)
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to besides the loopback names and its own "
        "address, comma separated (SPASMCARE_ALLOWED_HOSTS=spasm.example.org,*.example.net). "
        "Requests naming any other host get 400, which stops DNS rebinding.",
    )
    secret_key: str | None = Field(
        default=None,
        min_length=MIN_SECRET_KEY,
        description="The key that signs form tokens; set the same value on every machine that "
        "serves one site. Default: a random key kept in the data folder.",
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part for part in (p.strip() for p in value.split(",")) if part]
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _check_hosts(cls, value: list[str]) -> list[str]:
        names = [host_name(v) for v in value]
        for name in names:
            if not _HOST_PATTERN.match(name):
                raise ValueError(
                    f"{name!r} is not a host name (use names like spasm.example.org or "
                    "*.example.org, without a scheme or port)"
                )
        return names

    def trusted_hosts(self) -> list[str]:
        """Every Host name the server answers to: the loopback names, the address it listens on
        (unless that is every address) and :attr:`allowed_hosts`."""
        names = [*LOOPBACK_HOSTS]
        own = host_name(self.host)
        if own not in WILDCARD_ADDRESSES:
            names.append(own)
        names.extend(self.allowed_hosts)
        return list(dict.fromkeys(names))

    @property
    def emergency_call(self) -> str:
        """How to phrase 'call ...' in emergency advice."""
        if self.emergency_number:
            return self.emergency_number
        return DEFAULT_EMERGENCY_CALL

    def diary_exists(self) -> bool:
        """Whether a diary was set up: a database URL is configured, or the default SQLite file exists.

        Cheap on purpose (no database library is imported), so commands that only *read* the diary
        when there is one stay fast.
        """
        if self.database_url:
            return True
        return (self.resolved_data_dir() / DIARY_FILE).exists()

    def resolved_data_dir(self) -> Path:
        """The user data directory (created with owner-only permissions when first resolved)."""
        if self.data_dir is not None:
            path = self.data_dir
        else:
            import platformdirs

            path = Path(platformdirs.user_data_dir("spasmcare", appauthor=False))
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    def resolved_cache_dir(self) -> Path:
        """The cache folder (not created here: the cache creates it, owner-only, when it writes)."""
        if self.cache_dir is not None:
            return self.cache_dir
        import platformdirs

        return Path(platformdirs.user_cache_dir("spasmcare", appauthor=False))


def get_settings() -> Settings:
    """Read the settings from the environment now; a bad value raises :class:`InputError` naming
    its variable (``SPASMCARE_PORT: 'eighty' is not a whole number``)."""
    try:
        return Settings()
    except ValidationError as exc:
        from spasmcare.errors import InputError, Problem, problems_from_validation

        problems = [
            Problem(ENV_PREFIX + p.path.upper(), p.message, p.allowed)
            for p in problems_from_validation(exc, Settings)
        ]
        raise InputError("a setting in the environment is not valid", problems) from exc

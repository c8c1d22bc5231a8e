"""Runtime settings, read from ``SPASMCARE_*`` environment variables when :func:`get_settings` is called.

Nothing happens at import time: no directory is created and no environment is read until asked.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from spasmcare.wording import DEFAULT_EMERGENCY_CALL

DIARY_FILE = "diary.sqlite3"
"""The default diary's file name inside the user data directory."""


class Settings(BaseSettings):
    """spasmcare's settings; each field can be set as ``SPASMCARE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SPASMCARE_", extra="ignore")

    emergency_number: str | None = Field(
        default=None,
        description="The emergency number to show (e.g. 911). Unset: generic wording naming the "
        "common numbers.",
        max_length=20,
    )
    data_dir: Path | None = Field(
        default=None, description="Where user data lives; default: the platform's user data folder."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the diary; default: SQLite in data_dir."
    )
    knowledge_version: str | None = Field(
        default=None, description="Knowledge-base version to use; default: the newest shipped."
    )
    multi_user: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str | None = None

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


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()

"""Typed settings from the environment (``ALLIANCE_*``), read once by the composition root."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./alliance.db"


class Settings(BaseSettings):
    """Everything configurable about a running Alliance, with safe defaults for the demo."""

    model_config = SettingsConfigDict(env_prefix="ALLIANCE_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    programs: Path | None = Field(
        default=None, description="A folder of vendor program definitions (YAML)."
    )
    secret_key: str = Field(
        default="", description="Signs session cookies; a random one is made when empty."
    )
    smtp_url: str = Field(
        default="", description="smtp://host:port; empty writes mail to a local mailbox file."
    )
    data_dir: Path = Field(default=Path("./var"), description="Imports, exports, mailbox.")
    attachments_dir: Path = Field(
        default=Path("./attachments"), description="Where engagement attachments are stored."
    )
    time_zone: str = "UTC"
    environment: str = "development"

    @field_validator("secret_key")
    @classmethod
    def _secret_key_strength(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("ALLIANCE_SECRET_KEY must be at least 32 characters long")
        return value

    def effective_secret_key(self) -> str:
        """The configured key; production refuses to run without one."""
        if self.secret_key:
            return self.secret_key
        if self.environment == "production":
            raise ValueError("set ALLIANCE_SECRET_KEY (32+ characters) in production")
        return secrets.token_urlsafe(32)

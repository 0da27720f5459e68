"""Slate's settings, read once at start-up.

Precedence, highest first: arguments, environment, ``.env``, the TOML file (``slate.toml``
or the path in ``SLATE_CONFIG``), defaults. Slack's own variable names are kept as Slack
documents them (``SLACK_BOT_TOKEN`` …); everything else is ``SLATE_*``. Secrets are
``SecretStr`` so they never appear in a repr, a log line or an error message.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config.models import ModelSpec

SlackMode = Literal["socket", "http", "local"]


class SettingsError(RuntimeError):
    """Settings that are missing or invalid; the message names each one, never a secret's value."""


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SLATE_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
        populate_by_name=True,
    )

    # Slack: names as Slack documents them.
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=_alias("SLACK_BOT_TOKEN", "slack_bot_token")
    )
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_alias("SLACK_SIGNING_SECRET", "slack_signing_secret")
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=_alias("SLACK_APP_TOKEN", "slack_app_token")
    )
    slack_api_url: str = Field(
        "https://slack.com/api/", validation_alias=_alias("SLACK_API_URL", "slack_api_url")
    )
    # Install into many workspaces (OAuth): with both set, /slack/install adds Slate to a workspace
    # and each one's bot token is kept beside the ledger (bot/install.py); no SLACK_BOT_TOKEN then.
    slack_client_id: str | None = Field(None, validation_alias=_alias("SLACK_CLIENT_ID", "slack_client_id"))
    slack_client_secret: SecretStr | None = Field(
        None, validation_alias=_alias("SLACK_CLIENT_SECRET", "slack_client_secret")
    )
    # Unset: Slack redirects to the app's one configured redirect URL (manifest: oauth_config.redirect_urls).
    slack_redirect_uri: str | None = Field(
        None, validation_alias=_alias("SLACK_REDIRECT_URI", "slack_redirect_uri")
    )

    # HTTP mode (and the local workspace demo).
    host: str = "127.0.0.1"
    port: int = Field(3000, ge=0, le=65535)
    http_threads: int = Field(8, ge=1, le=256)
    workspace_port: int = Field(3100, ge=0, le=65535)
    # The local workspace demo seeds a sample project (bot/demo/); SLATE_DEMO_SEED=0 starts it empty.
    demo_seed: bool = True

    # Storage.
    data_dir: Path = Path(".slate")
    chroma_url: str | None = None  # a Chroma server, "http://127.0.0.1:8000"; unset: data_dir/chroma
    text_embedding_model: Path | None = None  # sentence-transformers directory; unset: packaged MiniLM
    image_embedding_model: Path | None = None  # a local CLIP directory; unset: images found by caption

    # Generation.
    engine: Literal["auto", "previz", "blender", "diffusers"] = "auto"
    models: dict[str, ModelSpec] = Field(default_factory=dict)
    default_model: str | None = None
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    upscaler: Path | None = None  # a local Stable Diffusion x4 upscaler directory; unset: Lanczos resample
    max_output_side: int = Field(4096, ge=64, le=16384)  # px on an image's long side; bigger upscales refused
    workers: int = Field(1, ge=1, le=16)  # generation jobs at once (one per GPU)
    # Celery broker (Redis) for the generation workers; unset: an embedded Redis and local workers.
    broker_url: str | None = None
    max_jobs_per_user: int = Field(4, ge=1, le=100)

    # The director agent's chat model: "offline" or any `init_chat_model` id ("openai:gpt-4.1", …).
    llm: str = "offline"

    # Hand-off (tools/export): a shot's length on the cut when its record gives none, the cut's
    # frame rate, and the C2PA signing key + certificate chain (PEM) of a studio's own; unset,
    # Slate makes a small CA and signer under data_dir/credentials on first export.
    default_shot_seconds: float = Field(3.0, gt=0, le=600)
    export_fps: float = Field(24.0, gt=0, le=240)
    signing_key: Path | None = None
    signing_cert: Path | None = None
    do_not_train: bool = False  # every exported frame asks not to be used for AI training or mining

    # Review: roles seeded in every project, by Slack user id ({"U0APRIL": "approver"}); a
    # director's `/slate role @person <role>` overrides them per project.
    roles: dict[str, Literal["director", "approver", "artist", "viewer"]] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("SLATE_CONFIG", "slate.toml"))
        toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_path)
        return init_settings, env_settings, dotenv_settings, toml, file_secret_settings

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # WebClient joins method names with urljoin: without the slash "…/api" + "auth.test" loses "api".
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL, e.g. https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp- (needs connections:write)")
        return value

    @field_validator("slack_client_id", "slack_client_secret", "slack_redirect_uri", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # ``SLACK_CLIENT_ID=`` (a blank line in .env or compose) means not installing into workspaces.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_redirect_uri")
    @classmethod
    def _redirect_uri_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL ending in /slack/oauth_redirect")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if (self.slack_client_id is None) != (self.slack_client_secret is None):
            missing = "SLACK_CLIENT_SECRET" if self.slack_client_secret is None else "SLACK_CLIENT_ID"
            raise ValueError(f"{missing} is required too: installing into workspaces needs both")
        if self.multi_workspace and self.slack_bot_token is not None:
            raise ValueError(
                "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "(installed into many), not both"
            )
        if self.multi_workspace and self.slack_app_token is not None:
            raise ValueError("installing into many workspaces runs in HTTP mode: unset SLACK_APP_TOKEN")
        if self.multi_workspace and self.slack_signing_secret is None:
            raise ValueError(
                "SLACK_SIGNING_SECRET is required when installing into workspaces (SLACK_CLIENT_ID)"
            )
        if self.slack_mode == "http" and self.slack_signing_secret is None:
            raise ValueError(
                "SLACK_SIGNING_SECRET is required in HTTP mode (SLACK_BOT_TOKEN set, no SLACK_APP_TOKEN)"
            )
        if self.slack_app_token is not None and self.slack_bot_token is None:
            raise ValueError("SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN is set")
        if self.default_model is not None and self.default_model not in self.models:
            known = ", ".join(sorted(self.models)) or "none configured"
            raise ValueError(f"default_model {self.default_model!r} is not in [models] ({known})")
        if (self.signing_key is None) != (self.signing_cert is None):
            raise ValueError("set both signing_key and signing_cert (a studio's own C2PA signer), or neither")
        if self.engine == "diffusers" and self.default_model is None:
            raise ValueError("engine 'diffusers' needs default_model and a [models.NAME] entry with its path")
        return self

    @property
    def slack_mode(self) -> SlackMode:
        """Socket Mode with an app token, HTTP with only a bot token (or installed into many
        workspaces), the local workspace with neither."""
        if self.slack_bot_token is None:
            return "http" if self.multi_workspace else "local"
        return "socket" if self.slack_app_token is not None else "http"

    @property
    def multi_workspace(self) -> bool:
        """Installed into workspaces through OAuth (client id and secret), each with its own bot token."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def engine_name(self) -> Literal["previz", "blender", "diffusers"]:
        """``auto``: the diffusion model when one is configured, else the 3D previz when the Blender
        venv is there, else the 2D previz."""
        if self.engine == "auto":
            if self.default_model:
                return "diffusers"
            from tools.blender_client import blender_available

            return "blender" if blender_available() else "previz"
        return self.engine


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation failures into one readable error without values."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        lines = []
        for problem in error.errors(include_input=False, include_url=False):
            where = ".".join(str(part) for part in problem["loc"]) or "settings"
            lines.append(f"  - {where}: {problem['msg']}")
        raise SettingsError("Invalid Slate settings:\n" + "\n".join(lines)) from None

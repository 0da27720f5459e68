"""Settings: sources and their precedence, Slack modes, and errors that never show a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import SettingsError, load_settings
from tools.blender_client import blender_available

pytestmark = pytest.mark.usefixtures("isolated_env")


def test_no_tokens_means_the_local_workspace_and_previz() -> None:
    settings = load_settings()
    assert settings.slack_mode == "local"
    # no model: the 3D previz where the Blender venv is set up, else the 2D one
    assert settings.engine_name == ("blender" if blender_available() else "previz")
    assert load_settings(engine="previz").engine_name == "previz"
    assert settings.slack_api_url == "https://slack.com/api/"


def test_modes_follow_the_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-abc")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t")
    assert load_settings().slack_mode == "http"
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-abc")
    assert load_settings().slack_mode == "socket"


def test_api_url_gets_the_trailing_slash_urljoin_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:3100/api")
    assert load_settings().slack_api_url == "http://127.0.0.1:3100/api/"


def test_errors_name_the_setting_and_never_print_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "not-a-bot-token-SECRET123")
    monkeypatch.setenv("SLATE_PORT", "70000")
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert "SLACK_BOT_TOKEN" in message and "xoxb-" in message and "port" in message
    assert "SECRET123" not in message


def test_http_mode_without_signing_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-SECRET456")
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET is required") as error:
        load_settings()
    assert "SECRET456" not in str(error.value)


def test_secrets_are_masked_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-SECRET789")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "SIGNING789")
    text = repr(load_settings())
    assert "SECRET789" not in text and "SIGNING789" not in text


def test_toml_file_holds_the_model_registry_and_env_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "slate.toml").write_text(
        'default_model = "sd15"\nport = 4000\n'
        '[models.sd15]\npath = "~/models/sd15"\nsteps = 25\nscheduler = "dpmpp_2m"\n'
    )
    monkeypatch.setenv("SLATE_PORT", "5000")
    settings = load_settings()
    assert settings.port == 5000
    assert settings.engine_name == "diffusers"
    spec = settings.models["sd15"]
    assert spec.steps == 25 and spec.scheduler == "dpmpp_2m" and "~" not in str(spec.path)


def test_default_model_must_be_registered(tmp_path: Path) -> None:
    (tmp_path / "slate.toml").write_text('default_model = "sdxl"\n[models.sd15]\npath = "/m/sd15"\n')
    with pytest.raises(SettingsError, match="'sdxl' is not in \\[models\\] \\(sd15\\)"):
        load_settings()


def test_dotenv_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLATE_LLM=openai:gpt-4.1\nSLATE_DATA_DIR=/srv/slate\n")
    settings = load_settings()
    assert settings.llm == "openai:gpt-4.1" and settings.data_dir == Path("/srv/slate")

"""The settings a worker runs with: the bot's, handed over in a file, less anything secret."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from config import Settings, load_settings

SETTINGS_FILE_ENV = "SLATE_WORKER_SETTINGS"


def write_worker_settings(settings: Settings, path: Path) -> Path:
    """What a worker needs to build the same engine; Slack tokens never leave the bot."""
    data = settings.model_dump(mode="json", exclude_none=True)
    data = {key: value for key, value in data.items() if not key.startswith("slack_")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


@cache
def worker_settings() -> Settings:
    """From the file the bot wrote, else the usual sources (env, .env, slate.toml)."""
    file = os.environ.get(SETTINGS_FILE_ENV)
    if file:
        return load_settings(**json.loads(Path(file).read_text()))
    return load_settings()

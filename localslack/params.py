"""Reading Web API arguments the way Slack does.

The same argument arrives as a JSON value (chat.postMessage) or as a form
string (reactions.add, files.*): `blocks` may be a list or a JSON string,
`limit` an int or "20", `reply_broadcast` a bool or "1".
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from localslack.state import parse_ts


class ApiError(Exception):
    """A Slack error code, answered as HTTP 200 `{"ok": false, "error": code}`.

    `messages` are Slack's explanations (`response_metadata.messages`), such as
    "[ERROR] must be less than 51 items [json-pointer:/blocks]" for invalid_blocks.
    """

    def __init__(self, code: str, messages: list[str] | None = None) -> None:
        super().__init__(code if not messages else f"{code}: {'; '.join(messages)}")
        self.code = code
        self.messages = list(messages or [])

    def body(self) -> dict:
        """The error body Slack answers, `response_metadata` only when there is something to say."""
        body: dict = {"ok": False, "error": self.code}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


def text(params: dict, key: str, default: str = "") -> str:
    value = params.get(key)
    return default if value is None else str(value)


def flag(params: dict, key: str) -> bool:
    value = params.get(key)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def integer(params: dict, key: str, default: int, *, maximum: int) -> int:
    value = params.get(key)
    if value in (None, "", 0, "0"):
        return default
    try:
        return max(1, min(int(value), maximum))
    except (TypeError, ValueError):
        raise ApiError("invalid_arguments") from None


def json_value(params: dict, key: str, error: str) -> Any:
    """A structured argument, decoding it when it came as a JSON string inside a form."""
    value = params.get(key)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ApiError(error) from None
    return value


def metadata(params: dict) -> dict | None:
    value = json_value(params, "metadata", "invalid_metadata_format")
    if value is None:
        return None
    if not isinstance(value, dict) or not value.get("event_type"):
        raise ApiError("invalid_metadata_format")
    value.setdefault("event_payload", {})
    return value


def ts(params: dict, key: str, error: str) -> str | None:
    """An optional ts argument; floats are refused because they drop trailing zeros."""
    value = params.get(key)
    if value in (None, ""):
        return None
    if parse_ts(value) is None:
        raise ApiError(error)
    return value


def encode_cursor(next_ts: str) -> str:
    """Slack's cursors are base64 of 'next_ts:<ts>'; keep the same shape."""
    return base64.b64encode(f"next_ts:{next_ts}".encode()).decode()


def decode_cursor(cursor: Any) -> str | None:
    if cursor in (None, ""):
        return None
    try:
        decoded = base64.b64decode(str(cursor), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError("invalid_cursor") from None
    prefix, _, value = decoded.partition(":")
    if prefix != "next_ts" or parse_ts(value) is None:
        raise ApiError("invalid_cursor")
    return value

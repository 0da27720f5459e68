"""Modals and the App Home: trigger ids, view stacks and the views.* Web API methods.

A modal opens only with a `trigger_id` from an interaction: single-use
(`exchanged_trigger_id` the second time) and good for 3 s
(`expired_trigger_id`). A user sees at most 3 stacked modals
(`push_limit_reached`). Each view has an id `V…` and a `hash` that changes on
every update; `views.update` with a stale hash is refused (`hash_conflict`), so
two writers cannot silently overwrite each other. The App Home is one `home`
view per user, published with `views.publish`.
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localslack import params as p
from localslack.blocks import VIEW_BLOCKS
from localslack.params import ApiError
from localslack.state import APP_ID, BOT_ID, TEAM_ID, WorkspaceState

MAX_STACK = 3
TRIGGER_TTL_S = 3.0
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass
class Trigger:
    """Who an interaction's trigger_id belongs to, and the modal it came from (for views.push)."""

    user: str
    issued: float  # time.monotonic()
    view_id: str | None = None
    used: bool = False


class Triggers:
    """Issues trigger ids with each interaction and exchanges each once, within `ttl_s`."""

    def __init__(self, ttl_s: float = TRIGGER_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._triggers: dict[str, Trigger] = {}

    def issue(self, user: str, *, view_id: str | None = None) -> str:
        """A trigger id shaped like Slack's ('12345.98765.abcd2358fdea')."""
        trigger_id = f"{int(time.time())}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"
        now = time.monotonic()
        with self._lock:
            # Forget long-dead triggers (kept a while, so a late views.open still reads "expired").
            horizon = max(self.ttl_s, 60.0)
            self._triggers = {k: t for k, t in self._triggers.items() if now - t.issued <= horizon}
            self._triggers[trigger_id] = Trigger(user, now, view_id)
        return trigger_id

    def exchange(self, trigger_id: Any) -> Trigger:
        with self._lock:
            trigger = self._triggers.get(str(trigger_id or ""))
            if trigger is None:
                raise ApiError("invalid_trigger_id")
            if trigger.used:
                raise ApiError("exchanged_trigger_id")
            if time.monotonic() - trigger.issued > self.ttl_s:
                raise ApiError("expired_trigger_id")
            trigger.used = True
            return trigger


class ViewStore:
    """Every view by id, each user's modal stack (root first) and each user's home view."""

    def __init__(self, state: WorkspaceState, check_blocks: Callable[[Any, int], Any]) -> None:
        self.state = state
        self.check_blocks = check_blocks
        self._lock = threading.RLock()
        self._views: dict[str, dict] = {}
        self._owners: dict[str, str] = {}  # view id -> user
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}
        self._external: dict[str, str] = {}  # external_id -> view id

    # ---- reading ---------------------------------------------------------

    def view(self, view_id: str) -> dict | None:
        with self._lock:
            found = self._views.get(view_id)
            return copy.deepcopy(found) if found else None

    def stack(self, user: str) -> list[dict]:
        """The user's open modals, root first, top last."""
        with self._lock:
            return [copy.deepcopy(self._views[v]) for v in self._stacks.get(user, [])]

    def top(self, user: str) -> dict | None:
        stack = self.stack(user)
        return stack[-1] if stack else None

    def home(self, user: str) -> dict | None:
        with self._lock:
            view_id = self._homes.get(user)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def is_open(self, view_id: str) -> bool:
        with self._lock:
            return any(view_id in stack for stack in self._stacks.values()) or view_id in self._homes.values()

    # ---- the modal stack -------------------------------------------------

    def open(self, user: str, spec: Any) -> dict:
        """A new root modal; whatever the user had open closes, as a new views.open replaces it."""
        spec = self.checked(spec, "modal")
        with self._lock:
            self._close_all(user)
            view = self._new(user, spec, root=None, previous=None)
            self._stacks[user] = [view["id"]]
            return self._changed(view)

    def push(self, user: str, spec: Any) -> dict:
        spec = self.checked(spec, "modal")
        with self._lock:
            stack = self._stacks.get(user, [])
            if not stack:
                raise ApiError("not_found")
            if len(stack) >= MAX_STACK:
                raise ApiError("push_limit_reached")
            view = self._new(user, spec, root=stack[0], previous=stack[-1])
            stack.append(view["id"])
            return self._changed(view)

    def update(self, view_id: str, spec: Any, expected_hash: str | None = None) -> dict:
        """Replace an open view in place: same id, root and previous; a new hash."""
        with self._lock:
            current = self._views.get(view_id)
            if current is None or not self.is_open(view_id):
                raise ApiError("not_found")
            if expected_hash and expected_hash != current["hash"]:
                raise ApiError("hash_conflict")
            return self._replace(view_id, self.checked(spec, current["type"]))

    def by_external_id(self, external_id: str) -> str | None:
        with self._lock:
            return self._external.get(external_id)

    def pop(self, user: str) -> None:
        """Close the top modal, uncovering the one below."""
        with self._lock:
            stack = self._stacks.get(user, [])
            if stack:
                self._forget(stack.pop())
            self.state.touch()

    def clear(self, user: str) -> None:
        with self._lock:
            self._close_all(user)
            self.state.touch()

    def set_values(self, view_id: str, values: dict) -> dict:
        """What the person typed and chose, kept as the view's `state.values`."""
        with self._lock:
            view = self._views[view_id]
            view["state"]["values"] = copy.deepcopy(values)
            return self._changed(view)

    # ---- the App Home ----------------------------------------------------

    def publish(self, user: str, spec: Any, expected_hash: str | None = None) -> dict:
        """The user's home view; publishing again keeps its id, like Slack."""
        spec = self.checked(spec, "home")
        with self._lock:
            view_id = self._homes.get(user)
            if view_id is None:
                view = self._new(user, spec, root=None, previous=None)
                self._homes[user] = view["id"]
                return self._changed(view)
            if expected_hash and expected_hash != self._views[view_id]["hash"]:
                raise ApiError("hash_conflict")
            return self._replace(view_id, spec)

    # ---- shapes ----------------------------------------------------------

    def checked(self, spec: Any, kind: str) -> dict:
        """The view spec, once Slack's rules for a `kind` view pass (invalid_arguments / invalid_blocks)."""
        if isinstance(spec, str):
            try:
                spec = json.loads(spec)
            except json.JSONDecodeError:
                raise ApiError(
                    "invalid_arguments", ["[ERROR] view is not valid JSON [json-pointer:/view]"]
                ) from None
        problems: list[str] = []

        def fail(pointer: str, problem: str) -> None:
            problems.append(f"[ERROR] {problem} [json-pointer:/view{pointer}]")

        if not isinstance(spec, dict):
            raise ApiError("invalid_arguments", ["[ERROR] must be an object [json-pointer:/view]"])
        if spec.get("type") != kind:
            fail("/type", f"must be '{kind}'")
        if kind == "modal":
            _plain(fail, "/title", spec.get("title"), 24)
            for key in ("submit", "close"):
                if spec.get(key) is not None:
                    _plain(fail, f"/{key}", spec[key], 24)
            has_input = any(
                isinstance(b, dict) and b.get("type") == "input" for b in spec.get("blocks") or []
            )
            if has_input and spec.get("submit") is None:
                fail("/submit", "is required when the view has input blocks")
        for key, most in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
            if key in spec and (not isinstance(spec[key], str) or len(spec[key]) > most):
                fail(f"/{key}", f"must be a string of less than {most + 1} characters")
        if "blocks" not in spec:
            fail("/blocks", "is required")
        if problems:
            raise ApiError("invalid_arguments", problems)
        self.check_blocks(spec["blocks"], VIEW_BLOCKS)
        return spec

    def _replace(self, view_id: str, spec: dict) -> dict:
        """The new content under the old id; inputs whose block is still there keep their values."""
        current = self._views[view_id]
        if spec.get("external_id") and self._external.get(spec["external_id"], view_id) != view_id:
            raise ApiError("duplicate_external_id")
        view = _view(spec, view_id, current["root_view_id"], current["previous_view_id"])
        kept = {b.get("block_id") for b in view["blocks"] if isinstance(b, dict)}
        view["state"]["values"] = {k: v for k, v in current["state"]["values"].items() if k in kept}
        self._set_external(current.get("external_id"), None)
        self._set_external(view["external_id"], view_id)
        self._views[view_id] = view
        return self._changed(view)

    def _new(self, user: str, spec: dict, *, root: str | None, previous: str | None) -> dict:
        if spec.get("external_id") and spec["external_id"] in self._external:
            raise ApiError("duplicate_external_id")
        view_id = "V0" + "".join(secrets.choice(_ALNUM) for _ in range(9))
        view = _view(spec, view_id, root or view_id, previous)
        self._views[view_id] = view
        self._owners[view_id] = user
        self._set_external(view["external_id"], view_id)
        return view

    def _changed(self, view: dict) -> dict:
        self.state.touch()
        return copy.deepcopy(view)

    def _close_all(self, user: str) -> None:
        for view_id in self._stacks.pop(user, []):
            self._forget(view_id)

    def _forget(self, view_id: str) -> None:
        """A closed view cannot be updated any more; its external_id is free again."""
        view = self._views.get(view_id)
        if view:
            self._set_external(view.get("external_id"), None)

    def _set_external(self, external_id: str | None, view_id: str | None) -> None:
        if not external_id:
            return
        if view_id is None:
            self._external.pop(external_id, None)
        else:
            self._external[external_id] = view_id


class ViewsApi:
    """views.open / push / update / publish."""

    def __init__(self, state: WorkspaceState, store: ViewStore, triggers: Triggers) -> None:
        self.state = state
        self.store = store
        self.triggers = triggers

    def methods(self) -> dict[str, Callable[[dict], dict]]:
        return {
            "views.open": self.open,
            "views.push": self.push,
            "views.update": self.update,
            "views.publish": self.publish,
        }

    def open(self, args: dict) -> dict:
        view = self.store.checked(self._view_arg(args), "modal")  # a bad view leaves the trigger unused
        trigger = self.triggers.exchange(args.get("trigger_id") or args.get("interactivity_pointer"))
        return {"view": self.store.open(trigger.user, view)}

    def push(self, args: dict) -> dict:
        """Onto the stack the trigger's interaction happened in; a trigger from a message cannot push."""
        view = self.store.checked(self._view_arg(args), "modal")
        trigger = self.triggers.exchange(args.get("trigger_id") or args.get("interactivity_pointer"))
        if trigger.view_id not in {v["id"] for v in self.store.stack(trigger.user)}:
            raise ApiError("invalid_trigger_id")
        return {"view": self.store.push(trigger.user, view)}

    def update(self, args: dict) -> dict:
        view = self._view_arg(args)
        view_id = p.text(args, "view_id")
        external_id = p.text(args, "external_id")
        if bool(view_id) == bool(external_id):
            raise ApiError("invalid_arguments", ["[ERROR] pass exactly one of view_id or external_id"])
        if external_id:
            view_id = self.store.by_external_id(external_id) or ""
        return {"view": self.store.update(view_id, view, p.text(args, "hash") or None)}

    def publish(self, args: dict) -> dict:
        user = p.text(args, "user_id")
        if self.state.user(user) is None:
            raise ApiError("user_not_found")
        return {"view": self.store.publish(user, self._view_arg(args), p.text(args, "hash") or None)}

    def _view_arg(self, args: dict) -> Any:
        view = args.get("view")
        if view in (None, ""):
            raise ApiError("invalid_arguments", ["[ERROR] missing required field: view"])
        return view


def _view(spec: dict, view_id: str, root: str, previous: str | None) -> dict:
    """A view as views.* return it and interaction payloads carry it."""
    is_modal = spec["type"] == "modal"
    return {
        "id": view_id,
        "team_id": TEAM_ID,
        "type": spec["type"],
        "title": copy.deepcopy(spec.get("title")) if is_modal else None,
        "submit": copy.deepcopy(spec.get("submit")) if is_modal else None,
        "close": copy.deepcopy(spec.get("close")) if is_modal else None,
        "blocks": copy.deepcopy(spec["blocks"]),
        "private_metadata": spec.get("private_metadata", ""),
        "callback_id": spec.get("callback_id", ""),
        "external_id": spec.get("external_id", ""),
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "clear_on_close": bool(spec.get("clear_on_close", False)),
        "notify_on_close": bool(spec.get("notify_on_close", False)),
        "root_view_id": root,
        "previous_view_id": previous,
        "app_id": APP_ID,
        "app_installed_team_id": TEAM_ID,
        "bot_id": BOT_ID,
    }


def _plain(fail: Callable[[str, str], None], pointer: str, obj: Any, most: int) -> None:
    if not isinstance(obj, dict) or obj.get("type") != "plain_text":
        fail(pointer, "must be a plain_text text object")
    elif not isinstance(obj.get("text"), str) or not 1 <= len(obj["text"]) <= most:
        fail(f"{pointer}/text", f"must be 1 to {most} characters")

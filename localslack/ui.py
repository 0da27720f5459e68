"""The page's side of the workspace: what a person sees, and each act they take from the page.

Every act goes through the same methods the tests call on ``LocalWorkspace`` (a ``Person``
here), so the app receives exactly what Slack would send; the page adds no second
implementation. The HTTP and DOM contract is docs/localslack-ui.md.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from localslack.delivery import Attempt
from localslack.interactive import Interaction, InteractionError
from localslack.state import BOT_USER_ID, DIRECTOR_ID, SHOTS_ID, WorkspaceState

UPLOAD_PATH = "/ui/upload"  # raw bytes, not JSON: the one act outside ``Page.acts``
COLORS = ("#e8912d", "#2bac76", "#1164a3", "#cd2553", "#9f69e7", "#d5631c")
BOT_COLOR = "#4a154b"


class Person(Protocol):
    """What a person can do in the workspace (``LocalWorkspace`` does all of it)."""

    def post_from_ui(
        self, text: str, *, user: str, channel: str | None, thread_ts: str | None, files: list[str]
    ) -> dict: ...

    def upload_as(self, user: str, filename: str, data: bytes) -> dict: ...

    def press_button(
        self,
        user: str,
        channel: str,
        message_ts: str,
        action_id: str,
        *,
        value: str | None = None,
        selected_option: str | None = None,
    ) -> Interaction: ...

    def press_view_button(
        self,
        user: str,
        view_id: str,
        action_id: str,
        *,
        value: str | None = None,
        selected_option: str | None = None,
    ) -> Interaction: ...

    def submit_view(self, user: str, view_id: str, values: dict | None = None) -> Interaction: ...

    def close_view(self, user: str, view_id: str) -> Interaction: ...

    def open_views(self, user: str) -> list[dict]: ...

    def home_view(self, user: str) -> dict | None: ...

    def run_slash_command(self, user: str, channel: str, command: str, text: str = "") -> Interaction: ...

    def use_message_shortcut(
        self, user: str, channel: str, message_ts: str, callback_id: str
    ) -> Interaction: ...

    def open_app_home(self, user: str) -> Attempt: ...

    def file_object(self, file_id: str) -> dict | None: ...


class UiError(ValueError):
    """A refusal the page shows the person (a bad post, an unknown command)."""


@dataclass(frozen=True)
class Command:
    """A slash command as the composer offers it, with the subcommands it completes."""

    command: str
    description: str
    usage_hint: str
    subcommands: tuple[tuple[str, str, str], ...] = ()  # (name, usage, description)

    def shape(self) -> dict:
        return {
            "command": self.command,
            "description": self.description,
            "usage_hint": self.usage_hint,
            "subcommands": [{"name": n, "usage": u, "description": d} for n, u, d in self.subcommands],
        }


@dataclass(frozen=True)
class Shortcut:
    """A message shortcut the app declares, offered in each message's menu."""

    callback_id: str
    name: str
    description: str = ""


class Page:
    """The page's endpoints: ``state`` to draw, the rest a person's acts."""

    def __init__(
        self,
        state: WorkspaceState,
        person: Person,
        *,
        commands: tuple[Command, ...] = (),
        shortcuts: tuple[Shortcut, ...] = (),
        bot_connected: Any = lambda: False,
    ) -> None:
        self.workspace_state = state
        self.person = person
        self.commands = commands
        self.shortcuts = shortcuts
        # Each JSON act by the path the page posts it to (docs/localslack-ui.md).
        self.acts: dict[str, Callable[[dict], dict]] = {
            "/ui/post": self.post,
            "/ui/action": self.action,
            "/ui/view-action": self.view_action,
            "/ui/view-submit": self.view_submit,
            "/ui/view-close": self.view_close,
            "/ui/command": self.command,
            "/ui/shortcut": self.shortcut,
            "/ui/home": self.home,
        }
        self.bot_connected = bot_connected

    # ---- what the page draws -----------------------------------------------

    def state(self, user: str | None, channel: str | None, since: int) -> dict:
        """What the page needs to redraw, or just the version when nothing changed since ``since``."""
        state = self.workspace_state
        me = user if user and _is_person(state.user(user)) else DIRECTOR_ID
        dm = state.add_dm(me)  # made once: Slate's DM with each person who opens the page
        version = state.version
        if since == version:
            return {"version": version, "changed": False}
        channel_id = state.resolve_channel(channel or SHOTS_ID) or SHOTS_ID
        shown = state.channel(channel_id) or {}
        if shown.get("is_im") and shown.get("user") != me:  # someone else's DM: back to #shots
            channel_id, shown = SHOTS_ID, state.channel(SHOTS_ID) or {}
        top = state.top_level(channel_id)
        users = {u["id"]: _user_shape(u) for u in state.list_users()}
        return {
            "version": version,
            "changed": True,
            "team": dict(state.team),
            "me": me,
            "bot_user_id": BOT_USER_ID,
            "bot_connected": bool(self.bot_connected()),
            "people": [{"id": uid, **shape} for uid, shape in users.items() if not shape["is_bot"]],
            "users": users,
            "channel": {
                "id": channel_id,
                "name": _place_name(shown, users),
                "is_im": bool(shown.get("is_im")),
            },
            "channels": [
                {"id": c["id"], "name": c["name"]} for c in state.list_channels() if not c.get("is_im")
            ],
            "dms": [{"id": dm["id"], "name": users[BOT_USER_ID]["real_name"], "user": BOT_USER_ID}],
            "messages": top,
            "threads": {m["ts"]: state.thread(channel_id, m["ts"])[1:] for m in top if m.get("reply_count")},
            "ephemeral": state.ephemeral_for(channel_id, me),
            "views": self.person.open_views(me),
            "home": self.person.home_view(me),
            "commands": [command.shape() for command in self.commands],
            "shortcuts": [vars(shortcut) for shortcut in self.shortcuts],
        }

    # ---- a person's acts ---------------------------------------------------

    def post(self, body: dict) -> dict:
        text = str(body.get("text") or "").strip()
        files = [str(f) for f in body.get("files") or []]
        if not text and not files:
            raise UiError("no_text")
        message = self.person.post_from_ui(
            text,
            user=self._user(body),
            channel=_str(body, "channel") or None,
            thread_ts=_str(body, "thread_ts") or None,
            files=files,
        )
        return {"message": message}

    def upload(self, user: str, filename: str, data: bytes) -> dict:
        if not filename or not data:
            raise UiError("Choose a file with a name and some content.")
        return {"file": self.person.upload_as(self._user({"user": user}), filename, data)}

    def action(self, body: dict) -> dict:
        user = self._user(body)
        done = self._interact(
            lambda: self.person.press_button(
                user,
                _str(body, "channel"),
                _str(body, "message_ts"),
                _str(body, "action_id"),
                value=body.get("value"),
                selected_option=body.get("selected_option"),
            )
        )
        return {"status": done.status}

    def view_action(self, body: dict) -> dict:
        user = self._user(body)
        done = self._interact(
            lambda: self.person.press_view_button(
                user,
                _str(body, "view_id"),
                _str(body, "action_id"),
                value=body.get("value"),
                selected_option=body.get("selected_option"),
            )
        )
        return {"status": done.status}

    def view_submit(self, body: dict) -> dict:
        user = self._user(body)
        values = self._with_file_objects(body.get("values") or {})
        done = self._interact(lambda: self.person.submit_view(user, _str(body, "view_id"), values))
        errors = done.errors
        return {"status": done.status, **({"errors": errors} if errors else {})}

    def view_close(self, body: dict) -> dict:
        user = self._user(body)
        done = self._interact(lambda: self.person.close_view(user, _str(body, "view_id")))
        return {"status": done.status}

    def command(self, body: dict) -> dict:
        user = self._user(body)
        command = _str(body, "command")
        known = {c.command for c in self.commands}
        if known and command not in known:
            raise UiError(f"{command} is not a command here. Try {', '.join(sorted(known))}.")
        done = self._interact(
            lambda: self.person.run_slash_command(
                user, _str(body, "channel") or SHOTS_ID, command, str(body.get("text") or "")
            )
        )
        if done.status != 200:
            raise UiError(f"{command} failed: the app did not answer in time (status {done.status}).")
        return {"status": done.status}

    def shortcut(self, body: dict) -> dict:
        user = self._user(body)
        done = self._interact(
            lambda: self.person.use_message_shortcut(
                user, _str(body, "channel"), _str(body, "message_ts"), _str(body, "callback_id")
            )
        )
        return {"status": done.status}

    def home(self, body: dict) -> dict:
        attempt = self.person.open_app_home(self._user(body))
        return {"status": attempt.status}

    # ---- helpers -------------------------------------------------------------

    def _user(self, body: dict) -> str:
        user = _str(body, "user") or DIRECTOR_ID
        if not _is_person(self.workspace_state.user(user)):
            raise UiError(f"user_not_found: {user}")
        return user

    @staticmethod
    def _interact(act: Any) -> Interaction:
        try:
            return act()
        except InteractionError as error:
            raise UiError(str(error)) from None

    def _with_file_objects(self, values: dict) -> dict:
        """A file input's ``[{"id"}]`` becomes the file objects Slack puts in ``state.values``."""
        if not isinstance(values, dict):
            raise UiError("values must be an object like Slack's view.state.values")
        filled: dict = {}
        for block_id, by_action in values.items():
            if not isinstance(by_action, dict):
                raise UiError(f"values.{block_id} must be an object")
            filled[block_id] = {}
            for action_id, shape in by_action.items():
                if isinstance(shape, dict) and shape.get("type") == "file_input":
                    shape = {**shape, "files": [self._file(f) for f in shape.get("files") or []]}
                filled[block_id][action_id] = shape
        return filled

    def _file(self, ref: Any) -> dict:
        file_id = str(ref.get("id", "")) if isinstance(ref, dict) else str(ref)
        found = self.person.file_object(file_id)
        if found is None:
            raise UiError(f"file_not_found: {file_id}")
        return found


def avatar_svg(state: WorkspaceState, user_id: str) -> bytes | None:
    """A person's avatar: their initials on their colour, as an SVG."""
    user = state.user(user_id)
    if user is None:
        return None
    shape = _user_shape(user)
    words = shape["real_name"].split() or ["?"]
    initials = html.escape("".join(w[0] for w in words[:2]).upper())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="72" height="72" viewBox="0 0 72 72">'
        f'<rect width="72" height="72" rx="12" fill="{shape["color"]}"/>'
        '<text x="36" y="47" font-family="Helvetica, Arial, sans-serif" font-size="30" '
        f'font-weight="700" fill="#fff" text-anchor="middle">{initials}</text></svg>'
    ).encode()


def _user_shape(user: dict) -> dict:
    is_bot = bool(user.get("is_bot"))
    color = BOT_COLOR if is_bot else COLORS[sum(map(ord, user["id"])) % len(COLORS)]
    return {
        "name": user["name"],
        "real_name": user.get("real_name") or user["name"],
        "title": (user.get("profile") or {}).get("title", ""),
        "is_bot": is_bot,
        "color": color,
        "avatar": f"/ui/avatar/{user['id']}.svg",
    }


def _place_name(channel: dict, users: dict) -> str:
    if channel.get("is_im"):
        return users.get(BOT_USER_ID, {}).get("real_name", "Slate")
    return channel.get("name", "")


def _is_person(user: dict | None) -> bool:
    return user is not None and not user.get("is_bot") and not user.get("deleted")


def _str(body: dict, key: str) -> str:
    value = body.get(key)
    return value if isinstance(value, str) else ""

"""In-memory workspace: the data the local Slack server answers from.

One lock guards everything, so the HTTP handler threads, the event delivery
threads and the tests can read and write at the same time. Every read returns
a deep copy: a caller editing a message dict never edits the workspace.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
import time
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0LOCAL"
TEAM_NAME = "Slate Local"
TEAM_DOMAIN = "slate-local"
BOT_USER_ID = "U0SLATEBOT"
BOT_ID = "B0SLATEBOT"
APP_ID = "A0SLATE"
DIRECTOR_ID = "U0DIRECTOR"
ARTIST_ID = "U0ARTIST"
APPROVER_ID = "U0APRIL"
SHOTS_ID = "C0SHOTS"
GENERAL_ID = "C0GENERAL"  # a second channel: a second project


def format_ts(micros: int) -> str:
    """Slack's ts: seconds, a dot, exactly six digits of microseconds."""
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def parse_ts(ts: Any) -> int | None:
    """Microseconds of a well-formed ts string, else None (floats lose digits, so are refused)."""
    if not isinstance(ts, str) or "." not in ts:
        return None
    seconds, _, micros = ts.partition(".")
    if not (seconds.isdigit() and micros.isdigit() and len(micros) == 6):
        return None
    return int(seconds) * 1_000_000 + int(micros)


@dataclass
class StoredFile:
    """A file announced by files.getUploadURLExternal; `data` arrives with the upload."""

    id: str
    name: str
    length: int
    user: str
    created: int
    title: str = ""
    alt_txt: str = ""
    data: bytes | None = None
    shares: list[dict] = field(default_factory=list)  # {"channel", "ts", "thread_ts"} per share


class WorkspaceState:
    """Team, users, channels, messages, threads, reactions and files."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.changed = threading.Condition(self._lock)
        self.version = 0
        self.team = {"id": TEAM_ID, "name": TEAM_NAME, "domain": TEAM_DOMAIN}
        self.users: dict[str, dict] = {}
        self.channels: dict[str, dict] = {}
        self._messages: dict[str, list[dict]] = {}
        self._last_micros: dict[str, int] = {}
        self.ephemeral: list[dict] = []
        self.files: dict[str, StoredFile] = {}
        self._file_seq = 0
        self.add_user(BOT_USER_ID, "slate", real_name="Slate", bot_id=BOT_ID)
        self.add_user(DIRECTOR_ID, "director", real_name="Dana Director", title="Director")
        self.add_user(ARTIST_ID, "ari", real_name="Ari Artist", title="Storyboard artist")
        self.add_user(APPROVER_ID, "april", real_name="April Approver", title="Producer, approves shots")
        everyone = [BOT_USER_ID, DIRECTOR_ID, ARTIST_ID, APPROVER_ID]
        self.add_channel(SHOTS_ID, "shots", members=everyone)
        self.add_channel(GENERAL_ID, "general", members=everyone)

    # ---- directory -------------------------------------------------------

    def add_user(
        self, user_id: str, name: str, *, real_name: str = "", title: str = "", bot_id: str | None = None
    ) -> dict:
        """Add a user (or the bot user when bot_id is given), shaped like users.info's `user`."""
        real_name = real_name or name
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": real_name,
            "deleted": False,
            "is_bot": bot_id is not None,
            "is_app_user": False,
            "tz": "UTC",
            "profile": {"real_name": real_name, "display_name": name, "title": title, "team": TEAM_ID},
        }
        if bot_id:
            user["profile"].update({"bot_id": bot_id, "api_app_id": APP_ID, "always_active": True})
        with self._lock:
            self.users[user_id] = user
            self._touch()
        return copy.deepcopy(user)

    def add_dm(self, user_id: str) -> dict:
        """The person's DM with the app (made once), shaped like conversations.info's `channel`."""
        channel_id = "D" + user_id[1:]
        with self._lock:
            if channel_id in self.channels:
                return copy.deepcopy(self.channels[channel_id])
        self.add_channel(channel_id, "", members=[BOT_USER_ID, user_id])
        with self._lock:
            self.channels[channel_id].update(is_channel=False, is_im=True, is_private=True, user=user_id)
            return copy.deepcopy(self.channels[channel_id])

    def add_channel(self, channel_id: str, name: str, *, members: list[str] | None = None) -> dict:
        """Add a public channel, shaped like conversations.info's `channel`."""
        channel = {
            "id": channel_id,
            "name": name,
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_private": False,
            "is_archived": False,
            "is_general": False,
            "created": int(time.time()),
            "creator": DIRECTOR_ID,
            "context_team_id": TEAM_ID,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "members": list(members or []),
        }
        with self._lock:
            self.channels[channel_id] = channel
            self._messages.setdefault(channel_id, [])
            self._touch()
        return copy.deepcopy(channel)

    def resolve_channel(self, ref: Any) -> str | None:
        """A channel id from an id, a name or a '#name' (chat.postMessage accepts all three)."""
        if not isinstance(ref, str) or not ref:
            return None
        with self._lock:
            if ref in self.channels:
                return ref
            name = ref.lstrip("#")
            for channel in self.channels.values():
                if channel["name"] == name:
                    return channel["id"]
        return None

    def user(self, user_id: str) -> dict | None:
        with self._lock:
            user = self.users.get(user_id)
            return copy.deepcopy(user) if user else None

    def channel(self, channel_id: str) -> dict | None:
        with self._lock:
            channel = self.channels.get(channel_id)
            return copy.deepcopy(channel) if channel else None

    def list_users(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(list(self.users.values()))

    def list_channels(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(list(self.channels.values()))

    def is_member(self, channel_id: str, user_id: str) -> bool:
        with self._lock:
            return user_id in self.channels.get(channel_id, {}).get("members", [])

    # ---- messages --------------------------------------------------------

    def add_message(self, channel_id: str, message: dict) -> dict:
        """Store a message with the next ts of its channel; a reply updates its parent's thread fields."""
        with self._lock:
            message = copy.deepcopy(message)
            message["ts"] = self._next_ts(channel_id)
            message.setdefault("type", "message")
            message["channel"] = channel_id
            self._messages[channel_id].append(message)
            if message.get("thread_ts"):
                parent = self._find(channel_id, message["thread_ts"])
                message["parent_user_id"] = parent.get("user", "") if parent else ""
                self._recount_thread(channel_id, message["thread_ts"])
            self._touch()
            return copy.deepcopy(message)

    def add_ephemeral(self, channel_id: str, message: dict) -> dict:
        """Keep an ephemeral message apart from the channel: only its recipient sees it, never in history."""
        with self._lock:
            stored = {**copy.deepcopy(message), "type": "message", "ts": self._next_ts(channel_id)}
            stored["channel"] = channel_id
            self.ephemeral.append(stored)
            self._touch()
            return copy.deepcopy(stored)

    def ephemeral_for(self, channel_id: str, user_id: str) -> list[dict]:
        with self._lock:
            return copy.deepcopy(
                [m for m in self.ephemeral if m["channel"] == channel_id and m.get("recipient") == user_id]
            )

    def ephemeral_message(self, channel_id: str, ts: str, user_id: str) -> dict | None:
        """One ephemeral message, only for the user it was shown to."""
        with self._lock:
            found = self._find_ephemeral(channel_id, ts, user_id)
            return copy.deepcopy(found) if found else None

    def update_ephemeral(self, channel_id: str, ts: str, user_id: str, changes: dict) -> dict | None:
        """Replace fields of an ephemeral message in place (a response_url's replace_original)."""
        with self._lock:
            found = self._find_ephemeral(channel_id, ts, user_id)
            return self._apply(found, changes) if found is not None else None

    def delete_ephemeral(self, channel_id: str, ts: str, user_id: str) -> bool:
        with self._lock:
            found = self._find_ephemeral(channel_id, ts, user_id)
            if found is None:
                return False
            self.ephemeral.remove(found)
            self._touch()
            return True

    def message(self, channel_id: str, ts: str) -> dict | None:
        with self._lock:
            found = self._find(channel_id, ts)
            return copy.deepcopy(found) if found else None

    def update_message(self, channel_id: str, ts: str, changes: dict) -> dict | None:
        """Apply `changes` (None values remove a key); None when no such message."""
        with self._lock:
            found = self._find(channel_id, ts)
            return self._apply(found, changes) if found is not None else None

    def _apply(self, found: dict, changes: dict) -> dict:
        """Change a stored message in place (None removes a key); a copy of the result. Under the lock."""
        for key, value in changes.items():
            if value is None:
                found.pop(key, None)
            else:
                found[key] = copy.deepcopy(value)
        self._touch()
        return copy.deepcopy(found)

    def delete_message(self, channel_id: str, ts: str) -> bool:
        """Remove a message; deleting a reply recounts its thread."""
        with self._lock:
            found = self._find(channel_id, ts)
            if found is None:
                return False
            self._messages[channel_id].remove(found)
            thread_ts = found.get("thread_ts")
            if thread_ts and thread_ts != ts:
                self._recount_thread(channel_id, thread_ts)
            self._touch()
            return True

    def top_level(self, channel_id: str) -> list[dict]:
        """Messages shown in the channel, oldest first: parents, plain posts and thread broadcasts."""
        with self._lock:
            return [
                copy.deepcopy(m)
                for m in self._messages.get(channel_id, [])
                if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
            ]

    def thread(self, channel_id: str, thread_ts: str) -> list[dict]:
        """Parent first, then replies in ts order; empty when the parent is unknown."""
        with self._lock:
            parent = self._find(channel_id, thread_ts)
            if parent is None:
                return []
            replies = [
                m for m in self._messages[channel_id] if m.get("thread_ts") == thread_ts and m is not parent
            ]
            return copy.deepcopy([parent, *replies])

    def all_messages(self, channel_id: str) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self._messages.get(channel_id, []))

    # ---- reactions -------------------------------------------------------

    def react(self, channel_id: str, ts: str, name: str, user: str, add: bool) -> str | None:
        """Add or remove a reaction; returns a Slack error code or None on success."""
        with self._lock:
            found = self._find(channel_id, ts)
            if found is None:
                return "message_not_found"
            reactions = found.setdefault("reactions", [])
            entry = next((r for r in reactions if r["name"] == name), None)
            if add:
                if entry and user in entry["users"]:
                    return "already_reacted"
                if entry is None:
                    entry = {"name": name, "users": [], "count": 0}
                    reactions.append(entry)
                entry["users"].append(user)
            else:
                if entry is None or user not in entry["users"]:
                    return "no_reaction"
                entry["users"].remove(user)
            entry["count"] = len(entry["users"])
            found["reactions"] = [r for r in reactions if r["count"]]
            if not found["reactions"]:
                del found["reactions"]
            self._touch()
            return None

    # ---- files -----------------------------------------------------------

    def reserve_file(self, name: str, length: int, user: str, alt_txt: str = "") -> StoredFile:
        with self._lock:
            self._file_seq += 1
            stored = StoredFile(
                id=f"F0{self._file_seq:08d}",
                name=name,
                length=length,
                user=user,
                created=int(time.time()),
                alt_txt=alt_txt,
            )
            self.files[stored.id] = stored
            return stored

    def file(self, file_id: str) -> StoredFile | None:
        """A copy of the file record (bytes shared: they never change once uploaded)."""
        with self._lock:
            stored = self.files.get(file_id)
            return dataclasses.replace(stored, shares=copy.deepcopy(stored.shares)) if stored else None

    def update_file(self, file_id: str, *, title: str | None = None, share: dict | None = None) -> None:
        with self._lock:
            stored = self.files[file_id]
            if title:
                stored.title = title
            if share:
                stored.shares.append(dict(share))
            self._touch()

    def store_upload(self, file_id: str, data: bytes) -> str | None:
        """Keep the uploaded bytes; an error text when the file is unknown or the length differs."""
        with self._lock:
            stored = self.files.get(file_id)
            if stored is None:
                return "file_not_found"
            if len(data) != stored.length:
                return f"length mismatch: announced {stored.length}, received {len(data)}"
            stored.data = data
            return None

    # ---- internals -------------------------------------------------------

    def _next_ts(self, channel_id: str) -> str:
        """The clock in microseconds, nudged so that ts strictly increases within a channel."""
        micros = max(int(time.time() * 1_000_000), self._last_micros.get(channel_id, 0) + 1)
        self._last_micros[channel_id] = micros
        return format_ts(micros)

    def _find(self, channel_id: str, ts: str) -> dict | None:
        for message in reversed(self._messages.get(channel_id, [])):
            if message["ts"] == ts:
                return message
        return None

    def _find_ephemeral(self, channel_id: str, ts: str, user_id: str) -> dict | None:
        for message in self.ephemeral:
            if (
                message["channel"] == channel_id
                and message["ts"] == ts
                and message.get("recipient") == user_id
            ):
                return message
        return None

    def _recount_thread(self, channel_id: str, thread_ts: str) -> None:
        """Slack's parent fields: reply_count, reply_users (first-reply order), latest_reply."""
        parent = self._find(channel_id, thread_ts)
        if parent is None:
            return
        replies = [
            m for m in self._messages[channel_id] if m.get("thread_ts") == thread_ts and m is not parent
        ]
        users: list[str] = []
        for reply in replies:
            if reply.get("user") and reply["user"] not in users:
                users.append(reply["user"])
        parent["thread_ts"] = thread_ts
        parent["reply_count"] = len(replies)
        parent["reply_users"] = users
        parent["reply_users_count"] = len(users)
        parent["latest_reply"] = replies[-1]["ts"] if replies else thread_ts

    def touch(self) -> None:
        """Tell the UI and `wait_for` that something outside this class changed (views, for one)."""
        with self._lock:
            self._touch()

    def _touch(self) -> None:
        """Bump the version the UI polls on and wake anyone waiting for a change."""
        self.version += 1
        self.changed.notify_all()

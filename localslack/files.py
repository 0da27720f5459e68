"""Files v2: getUploadURLExternal → raw POST of the bytes → completeUploadExternal.

slack_sdk's `files_upload_v2` sends step 2 as the file's raw bytes in the
request body (urllib `Request(data=bytes)`, no auth header, no retry) and
raises on anything but 200; Slack answers `OK - <length>`. `url_private`
needs the bot token, as on Slack; the UI reads images through its own route.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
import struct
import threading
from collections.abc import Callable

from localslack import params as p
from localslack.params import ApiError
from localslack.shapes import bot_message
from localslack.state import BOT_USER_ID, TEAM_ID, StoredFile, WorkspaceState

# A file's own URLs on this server: url_private(_download), the UI's image route, the permalink.
_FILE_URL = re.compile(r"^(?:files-pri/[A-Z0-9]+-(F[A-Z0-9]+)/|ui/files/(F[A-Z0-9]+)$|#file-(F[A-Z0-9]+)$)")


class FilesApi:
    """The files.* methods plus the upload and download endpoints behind them."""

    def __init__(
        self,
        state: WorkspaceState,
        *,
        base_url: Callable[[], str],
        post: Callable[[str, dict], dict],
    ) -> None:
        self.state = state
        self.base_url = base_url
        self.post = post
        self._uploads: dict[str, str] = {}  # upload key in the URL → file id
        self._lock = threading.Lock()

    def methods(self) -> dict[str, Callable[[dict], dict]]:
        return {
            "files.getUploadURLExternal": self.get_upload_url,
            "files.completeUploadExternal": self.complete_upload,
            "files.info": self.info,
        }

    # ---- Web API methods -------------------------------------------------

    def get_upload_url(self, args: dict) -> dict:
        filename = p.text(args, "filename")
        try:
            length = int(args.get("length"))
        except (TypeError, ValueError):
            raise ApiError("invalid_arguments") from None
        if not filename or length < 1:
            raise ApiError("invalid_arguments")
        stored = self.state.reserve_file(filename, length, BOT_USER_ID, p.text(args, "alt_txt"))
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._uploads[key] = stored.id
        return {"upload_url": f"{self.base_url()}upload/v1/{key}", "file_id": stored.id}

    def complete_upload(self, args: dict) -> dict:
        """Share the uploaded files into one channel (and thread) with one `file_share` message."""
        entries = p.json_value(args, "files", "invalid_arguments")
        if not isinstance(entries, list) or not entries:
            raise ApiError("invalid_arguments")
        records: list[str] = []
        for entry in entries:
            stored = self.state.file(str(entry.get("id", ""))) if isinstance(entry, dict) else None
            if stored is None or stored.data is None:
                raise ApiError("file_not_found")
            self.state.update_file(stored.id, title=str(entry.get("title") or stored.title or stored.name))
            records.append(stored.id)
        channel_ref = args.get("channel_id") or (p.text(args, "channels").split(",")[0] or None)
        if channel_ref is None:
            return {"files": self._file_objects(records)}
        channel = self.state.resolve_channel(channel_ref)
        if channel is None:
            raise ApiError("channel_not_found")
        if not self.state.is_member(channel, BOT_USER_ID):
            raise ApiError("not_in_channel")
        thread_ts = p.ts(args, "thread_ts", "invalid_thread_ts")
        if thread_ts:
            parent = self.state.message(channel, thread_ts)
            if parent is None:
                raise ApiError("thread_not_found")
            thread_ts = parent.get("thread_ts") or parent["ts"]
        message = bot_message(p.text(args, "initial_comment"))
        message.update({"subtype": "file_share", "upload": True, "display_as_bot": False})
        message["files"] = self._file_objects(records)
        if thread_ts:
            message["thread_ts"] = thread_ts
        share_ts = self.post(channel, message)["ts"]
        for file_id in records:
            share = {"channel": channel, "ts": share_ts, "thread_ts": thread_ts}
            self.state.update_file(file_id, share=share)
        return {"files": self._file_objects(records)}

    def info(self, args: dict) -> dict:
        stored = self.state.file(p.text(args, "file"))
        if stored is None:
            raise ApiError("file_not_found")
        return {"file": self.file_object(stored), "comments": [], "response_metadata": {"next_cursor": ""}}

    # ---- a person's attachments --------------------------------------------

    def upload_as(self, user: str, filename: str, data: bytes) -> dict:
        """A person attaches a file in the composer: the same three steps as files v2 (reserve,
        upload the bytes, complete), left unshared until their message carries it."""
        if not filename or not data:
            raise ApiError("invalid_arguments")
        stored = self.state.reserve_file(filename, len(data), user)
        error = self.state.store_upload(stored.id, data)
        if error:
            raise ApiError(error)
        return self.file_object(self.state.file(stored.id))  # type: ignore[arg-type]

    def attachable(self, user: str, file_ids: list[str]) -> list[dict]:
        """The file objects of a person's own uploads, for their message to carry."""
        objects = []
        for file_id in file_ids:
            stored = self.state.file(file_id)
            if stored is None or stored.data is None or stored.user != user:
                raise ApiError("file_not_found")
            objects.append(self.file_object(stored))
        return objects

    def record_shares(self, message: dict) -> None:
        """Each file a stored message carries is shared where that message is."""
        share = {"channel": message["channel"], "ts": message["ts"], "thread_ts": message.get("thread_ts")}
        for file in message.get("files") or []:
            self.state.update_file(file["id"], share=share)

    # ---- references from blocks -------------------------------------------

    def file_id_for(self, ref: dict | str) -> str | None:
        """The uploaded file a `slack_file` object (`{"id"}` or `{"url"}`) or a URL names, or None.

        A URL names a file only when it is one of this server's own (url_private,
        url_private_download, the permalink); anything else is no Slack file.
        """
        if isinstance(ref, dict):
            if "id" in ref:
                file_id = str(ref["id"])
                stored = self.state.file(file_id)
                return file_id if stored is not None and stored.data is not None else None
            ref = ref.get("url")
        if not isinstance(ref, str) or not ref.startswith(self.base_url()):
            return None
        match = _FILE_URL.match(ref[len(self.base_url()) :])
        if match is None:
            return None
        file_id = next(group for group in match.groups() if group)
        stored = self.state.file(file_id)
        return file_id if stored is not None and stored.data is not None else None

    def _file_objects(self, file_ids: list[str]) -> list[dict]:
        return [self.file_object(self.state.file(file_id)) for file_id in file_ids]

    # ---- HTTP endpoints --------------------------------------------------

    def upload(self, key: str, body: bytes) -> tuple[int, str]:
        """Step 2: the raw bytes; a length other than the announced one is refused."""
        with self._lock:
            file_id = self._uploads.get(key)
        if file_id is None:
            return 404, "upload URL not found"
        error = self.state.store_upload(file_id, body)
        if error:
            return 400, error
        with self._lock:
            self._uploads.pop(key, None)
        return 200, f"OK - {len(body)}"

    def download(self, file_id: str) -> tuple[bytes, str] | None:
        """The bytes and content type of an uploaded file, or None."""
        stored = self.state.file(file_id)
        if stored is None or stored.data is None:
            return None
        return stored.data, _mimetype(stored.name)

    # ---- shapes ----------------------------------------------------------

    def file_object(self, stored: StoredFile) -> dict:
        """A file as files.info describes it; url_private points at this server."""
        base = self.base_url()
        private = f"{base}files-pri/{TEAM_ID}-{stored.id}/{stored.name}"
        mimetype = _mimetype(stored.name)
        filetype = stored.name.rsplit(".", 1)[-1].lower() if "." in stored.name else "binary"
        obj = {
            "id": stored.id,
            "created": stored.created,
            "timestamp": stored.created,
            "name": stored.name,
            "title": stored.title or stored.name,
            "mimetype": mimetype,
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": stored.user,
            "user_team": TEAM_ID,
            "editable": False,
            "size": len(stored.data or b"") or stored.length,
            "mode": "hosted",
            "is_external": False,
            "is_public": bool(stored.shares),
            "public_url_shared": False,
            "url_private": private,
            "url_private_download": f"{base}files-pri/{TEAM_ID}-{stored.id}/download/{stored.name}",
            "permalink": f"{base}#file-{stored.id}",
            "channels": sorted({s["channel"] for s in stored.shares}),
            "groups": [],
            "ims": [],
            "shares": _shares(stored.shares, self.state),
        }
        if stored.alt_txt:
            obj["alt_txt"] = stored.alt_txt
        size = _png_size(stored.data or b"")
        if size and all(size):
            obj["original_w"], obj["original_h"] = size
        return obj


def _shares(shares: list[dict], state: WorkspaceState) -> dict:
    public: dict[str, list[dict]] = {}
    for share in shares:
        channel = state.channel(share["channel"]) or {"name": share["channel"]}
        entry = {
            "ts": share["ts"],
            "channel_name": channel["name"],
            "team_id": TEAM_ID,
            "share_user_id": BOT_USER_ID,
            "source": "UNKNOWN",
        }
        if share["thread_ts"]:
            entry["thread_ts"] = share["thread_ts"]
        public.setdefault(share["channel"], []).append(entry)
    return {"public": public} if public else {}


def _mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG header, so image files carry original_w / original_h."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])

"""The server side of RFC 6455 WebSocket, stdlib only: enough for Slack's Socket Mode.

Handshake (`accept_key`), frames in both directions (clients mask theirs, a
server never does), text messages (fragmented or not), ping → pong, and the
close handshake. Binary messages are read and ignored, as Socket Mode sends none.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socket
import struct
import threading
from collections.abc import Callable, Mapping
from typing import BinaryIO

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
MAX_MESSAGE_BYTES = 1 << 20  # Socket Mode acks are small; refuse anything absurd (close 1009)
CLOSE_WAIT_S = 1.0  # how long a server-initiated close waits for the client's close before hanging up


class ProtocolError(Exception):
    """A client broke the protocol; the connection closes with `code` (1002, 1007, 1009)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def handshake_error(method: str, headers: Mapping[str, str]) -> str | None:
    """Why an HTTP request is not a valid WebSocket opening handshake (RFC 6455 §4.2.1), or None."""
    if method != "GET":
        return "method must be GET"
    if "websocket" not in (headers.get("Upgrade") or "").lower():
        return "missing Upgrade: websocket"
    if "upgrade" not in [token.strip() for token in (headers.get("Connection") or "").lower().split(",")]:
        return "missing Connection: Upgrade"
    if (headers.get("Sec-WebSocket-Version") or "").strip() != "13":
        return "Sec-WebSocket-Version must be 13"
    try:
        if len(base64.b64decode(headers.get("Sec-WebSocket-Key") or "", validate=True)) != 16:
            return "Sec-WebSocket-Key must be 16 bytes, base64"
    except ValueError:
        return "Sec-WebSocket-Key must be 16 bytes, base64"
    return None


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a client's Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1((key.strip() + GUID).encode()).digest()).decode()


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, final frame."""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return header + payload


def read_frame(rfile: BinaryIO) -> tuple[bool, int, bytes]:
    """(fin, opcode, unmasked payload) of the next client frame; EOFError when the peer is gone."""
    first, second = _read_exact(rfile, 2)
    fin, opcode, length = bool(first & 0x80), first & 0x0F, second & 0x7F
    if first & 0x70:
        raise ProtocolError(1002, "reserved bits set without an extension")
    if not second & 0x80:
        raise ProtocolError(1002, "client frames must be masked")
    if length == 126:
        (length,) = struct.unpack("!H", _read_exact(rfile, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exact(rfile, 8))
    if opcode >= CLOSE and (not fin or length > 125):
        raise ProtocolError(1002, "control frames must be final and at most 125 bytes")
    if length > MAX_MESSAGE_BYTES:
        raise ProtocolError(1009, "message too big")
    key = _read_exact(rfile, 4)
    return fin, opcode, _unmask(_read_exact(rfile, length), key)


class WebSocket:
    """One accepted connection: `serve` reads on the caller's thread, `send_text` from any thread."""

    def __init__(self, sock: socket.socket, rfile: BinaryIO) -> None:
        self._sock = sock
        self._rfile = rfile
        self._send_lock = threading.Lock()
        self._close_sent = False
        self.closed = threading.Event()
        self.close_code: int | None = None  # the client's close code, when it sent one

    def send_text(self, text: str) -> None:
        """Raises OSError when the connection is closing or gone."""
        self._send(TEXT, text.encode())

    def ping(self, payload: bytes = b"") -> None:
        self._send(PING, payload)

    def close(self, code: int = 1000, reason: str = "", *, wait_s: float = CLOSE_WAIT_S) -> None:
        """Start the closing handshake; hang up after `wait_s` if the client does not answer."""
        if not self._send_close(struct.pack("!H", code) + reason.encode()[:123]):
            return
        timer = threading.Timer(wait_s, self._hang_up)
        timer.daemon = True
        timer.start()

    def serve(self, on_text: Callable[[str], None]) -> None:
        """Read until the connection closes, answering pings and handing each text message on."""
        opcode: int | None = None  # of the message being reassembled from fragments
        parts: list[bytes] = []
        try:
            while True:
                fin, frame_opcode, data = read_frame(self._rfile)
                if frame_opcode == PING:
                    self._send(PONG, data)
                elif frame_opcode == PONG:
                    pass
                elif frame_opcode == CLOSE:
                    self._answer_close(data)
                    return
                elif frame_opcode in (TEXT, BINARY, CONTINUATION):
                    if (frame_opcode == CONTINUATION) != (opcode is not None):
                        raise ProtocolError(1002, "unexpected continuation state")
                    opcode = frame_opcode if opcode is None else opcode
                    parts.append(data)
                    if sum(map(len, parts)) > MAX_MESSAGE_BYTES:
                        raise ProtocolError(1009, "message too big")
                    if fin:
                        message, kind, opcode, parts = b"".join(parts), opcode, None, []
                        if kind == TEXT:
                            on_text(_utf8(message))
                else:
                    raise ProtocolError(1002, f"unknown opcode {frame_opcode:#x}")
        except ProtocolError as error:
            self.close(error.code, error.reason, wait_s=0)
        except (EOFError, OSError, ValueError):
            pass
        finally:
            self._hang_up()

    def _answer_close(self, data: bytes) -> None:
        """Echo the client's close code (RFC 6455 §5.5.1) unless we started the close ourselves."""
        self.close_code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
        self._send_close(data[:2] if len(data) >= 2 else b"")

    def _send_close(self, payload: bytes) -> bool:
        """Send our one close frame; False when it was already sent or the connection is gone."""
        with self._send_lock:
            if self._close_sent or self.closed.is_set():
                return False
            self._close_sent = True
            with contextlib.suppress(OSError):
                self._sock.sendall(encode_frame(CLOSE, payload))
            return True

    def _send(self, opcode: int, payload: bytes) -> None:
        with self._send_lock:
            if self._close_sent or self.closed.is_set():
                raise ConnectionError("websocket is closing")
            self._sock.sendall(encode_frame(opcode, payload))

    def _hang_up(self) -> None:
        """Shut the TCP connection; `serve`'s blocked read then ends."""
        self.closed.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)


def _read_exact(rfile: BinaryIO, n: int) -> bytes:
    data = rfile.read(n) if n else b""
    if len(data) < n:
        raise EOFError("connection closed")
    return data


def _unmask(data: bytes, key: bytes) -> bytes:
    if not data:
        return data
    mask = (key * (len(data) // 4 + 1))[: len(data)]
    return (int.from_bytes(data, "big") ^ int.from_bytes(mask, "big")).to_bytes(len(data), "big")


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(1007, "text message is not UTF-8") from error

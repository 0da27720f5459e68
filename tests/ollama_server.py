"""A scripted Ollama-compatible server on loopback: the provider path tested end to end.

It speaks Ollama's ``/api/chat`` (streamed NDJSON, as the ``ollama`` client asks for) and
answers like a model that always calls ``generate_shot`` with the user's words, then says what
the tool returned. It exists to prove that ``SLATE_LLM=ollama:…`` drives the same agent loop
through LangChain's real Ollama integration — not to judge a model.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _reply(request: dict) -> dict:
    last = request["messages"][-1]
    if last["role"] == "tool":
        return {"role": "assistant", "content": f"Done: {last['content']}"}
    call = {"function": {"name": "generate_shot", "arguments": {"description": last["content"]}}}
    return {"role": "assistant", "content": "", "tool_calls": [call]}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(request)  # type: ignore[attr-defined]
        chunk = {
            "model": request["model"],
            "created_at": "2026-11-25T00:00:00Z",
            "message": _reply(request),
            "done": True,
            "done_reason": "stop",
        }
        body = (json.dumps(chunk) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@contextmanager
def scripted_ollama() -> Iterator[tuple[str, list[dict]]]:
    """(base URL, the requests it received) for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()

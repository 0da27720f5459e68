"""A long-lived Blender worker: one JSON request per line on stdin, one JSON answer per line on stdout.

Runs in .venv-blender (stdlib + bpy only; see tools/blender_client.py for the Slate side):

    .venv-blender/bin/python tools/blender/worker.py

On start it answers ``{"ready": true, "bpy": "5.0.1", "pid": ...}``. Requests:

- ``{"id": 1, "op": "render", "scene": {...Blocking.to_dict()...}, "png": "/abs/out.png",
  "blend": "/abs/out.blend"}`` → ``{"id": 1, "ok": true, "png": ..., "blend": ..., "seconds": ...,
  "build_seconds": ..., "render_seconds": ..., "save_seconds": ..., "rss_mb": ...}``; with
  ``"animatic": {"frames": 8, "width": 512, "height": 288}`` and a camera move it also renders that many
  frames along the move beside the png (``"animatic": [paths], "animatic_seconds": ...``)
- ``"engine": "cycles", "samples": 8`` renders that request in Cycles on the CPU instead (benchmarks)
- ``{"id": 2, "op": "inspect", "blend": "/abs/out.blend"}`` → ``{"id": 2, "ok": true, "info": {...}}``
- ``{"op": "quit"}`` ends the worker.

Any failure answers ``{"id": ..., "ok": false, "error": "..."}`` and the worker carries on. Every
request starts from factory settings with an empty scene, so no state leaks from one to the next.
Blender's own chatter (render progress, "Saved: ...") goes to stderr: fd 1 is pointed at fd 2
before bpy loads, and the answers go out on a private copy of the original stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

_proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)  # anything Blender (C or Python) prints to stdout lands on stderr
sys.stdout = sys.stderr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bpy  # noqa: E402
import scene  # noqa: E402  (tools/blender/scene.py, imported as a sibling)


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _answer(message: dict[str, object]) -> None:
    _proto.write(json.dumps(message) + "\n")
    _proto.flush()


def _animatic(ask: object, png: str) -> tuple[list[str], float]:
    """The frames along the camera move, when asked and the scene has one (a static shot has none)."""
    if not isinstance(ask, dict) or bpy.context.scene.frame_end <= bpy.context.scene.frame_start:
        return [], 0.0
    count = max(2, min(48, int(ask.get("frames", 8))))
    stem = os.path.splitext(png)[0]
    frames = [f"{stem}_anim_{i:02d}.png" for i in range(count)]
    seconds = scene.render_frames(frames, int(ask["width"]), int(ask["height"]))
    return frames, seconds


def handle(request: dict[str, object]) -> dict[str, object]:
    op = request.get("op", "render")
    if op == "render":
        png, blend = str(request["png"]), str(request["blend"])
        for path in (png, blend):
            if not os.path.isabs(path):
                raise ValueError(f"path {path!r} is not absolute")
            os.makedirs(os.path.dirname(path), exist_ok=True)
        started = time.perf_counter()
        scene.reset()
        scene.build(request["scene"])  # type: ignore[arg-type]
        if request.get("engine"):  # the benchmark's Cycles comparison; Slate renders Workbench
            scene.use_engine(str(request["engine"]), int(request.get("samples", 8)))  # type: ignore[arg-type]
        built = time.perf_counter()
        render_s = scene.render(png)
        rendered = time.perf_counter()
        scene.save(blend)
        done = time.perf_counter()
        frames, animatic_s = _animatic(request.get("animatic"), png)
        return {
            "animatic": frames,
            "animatic_seconds": round(animatic_s, 4),
            "ok": True,
            "png": png,
            "blend": blend,
            "seconds": round(done - started, 4),
            "build_seconds": round(built - started, 4),
            "render_seconds": round(render_s, 4),
            "save_seconds": round(done - rendered, 4),
            "rss_mb": round(_rss_mb(), 1),
        }
    if op == "inspect":
        info = scene.inspect(str(request["blend"]))
        scene.reset()
        return {"ok": True, "info": info}
    if op == "ping":
        return {"ok": True, "rss_mb": round(_rss_mb(), 1)}
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
    _answer({"ready": True, "bpy": bpy.app.version_string, "pid": os.getpid()})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        rid = None
        try:
            request = json.loads(line)
            rid = request.get("id")
            if request.get("op") == "quit":
                _answer({"id": rid, "ok": True, "bye": True})
                break
            answer = handle(request)
        except Exception as exc:  # noqa: BLE001 — a bad request must not end the warm worker
            traceback.print_exc(file=sys.stderr)
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        answer["id"] = rid
        _answer(answer)


if __name__ == "__main__":
    main()

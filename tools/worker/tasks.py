"""The generation task a worker runs. The engine is built once per worker process and kept warm."""

from __future__ import annotations

from functools import cache
from typing import Any

from tools.engine import Engine, ProgressCallback
from tools.registry import build_engine
from tools.worker.calls import remote_task
from tools.worker.settings import worker_settings
from tools.worker.wire import decode_request, encode_result


@cache
def engine() -> Engine:
    return build_engine(worker_settings())


@remote_task("slate.generate")
def generate(payload: dict[str, Any], report: ProgressCallback) -> dict[str, Any]:
    results = engine().generate(decode_request(payload), report)
    return {"results": [encode_result(result) for result in results]}

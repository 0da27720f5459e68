"""An engine whose generation runs on a worker: the bot's view of the GPU pool.

It answers what the agent asks of an engine (models, features) from the same configuration
the workers load, and sends every ``generate`` to a worker. To the desk it is just another
``Engine``.
"""

from __future__ import annotations

from typing import Literal

from tools.engine import Engine, GenerationRequest, GenerationResult, ProgressCallback
from tools.worker.calls import RemoteCaller
from tools.worker.wire import decode_result, encode_request

GENERATE_TASK = "slate.generate"


class RemoteEngine:
    def __init__(self, local: Engine, caller: RemoteCaller) -> None:
        self.local, self.caller = local, caller  # ``local`` is never asked to generate here
        self.name = local.name

    def model_names(self) -> tuple[str, ...]:
        return self.local.model_names()

    def supports(self, feature: Literal["references", "lora", "control"], model: str | None = None) -> bool:
        return self.local.supports(feature, model)

    def generate(
        self, request: GenerationRequest, progress: ProgressCallback | None = None
    ) -> list[GenerationResult]:
        request.validate()  # refuse at once what every worker would refuse
        value = self.caller.call(GENERATE_TASK, encode_request(request), progress)
        return [decode_result(item) for item in value["results"]]

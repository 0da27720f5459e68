"""A local open chat model from a transformers directory, as a LangChain chat model with tools.

``SLATE_LLM=transformers:/models/qwen2.5-7b-instruct`` loads the model and tokenizer from that
path only (no hub), renders the conversation with the model's own chat template — tools
included, for templates that take them — and reads tool calls back from the two forms open
instruction models emit: ``<tool_call>{"name": …, "arguments": …}</tool_call>`` (Hermes/Qwen)
or a bare JSON object with ``name`` and ``arguments``. Anything else is a plain reply.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import PrivateAttr

_TAGGED = re.compile(r"<tool_call>\s*(\{.*?\})\s*</tool_call>", re.DOTALL)


def parse_tool_calls(text: str) -> list[dict[str, Any]]:
    """Tool calls in a model's text, in LangChain's shape; [] when it simply answered."""
    candidates = _TAGGED.findall(text) or ([text.strip()] if text.strip().startswith("{") else [])
    calls = []
    for candidate in candidates:
        try:
            payload = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(payload, dict) and isinstance(payload.get("name"), str):
            arguments = payload.get("arguments", payload.get("parameters", {}))
            if isinstance(arguments, str):
                arguments = json.loads(arguments or "{}")
            calls.append({"name": payload["name"], "args": arguments, "id": f"call_{uuid.uuid4().hex[:12]}"})
    return calls


def _role_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    rendered = []
    for message in messages:
        if isinstance(message, SystemMessage):
            rendered.append({"role": "system", "content": message.text})
        elif isinstance(message, HumanMessage):
            rendered.append({"role": "user", "content": message.text})
        elif isinstance(message, ToolMessage):
            rendered.append({"role": "tool", "content": message.text, "name": message.name or ""})
        elif isinstance(message, AIMessage):
            calls = [
                {"type": "function", "function": {"name": c["name"], "arguments": c["args"]}}
                for c in message.tool_calls
            ]
            rendered.append(
                {"role": "assistant", "content": message.text, **({"tool_calls": calls} if calls else {})}
            )
    return rendered


class _Weights:
    """Tokenizer and model, shared by every tool-bound copy of the chat model (one load)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded: tuple[Any, Any] | None = None


class LocalTransformersChat(BaseChatModel):
    """A causal LM on local disk, loaded once, greedy decoding (repeatable)."""

    model_path: Path
    max_new_tokens: int = 512
    tools: list[dict[str, Any]] = []
    _weights: _Weights = PrivateAttr(default_factory=_Weights)

    @property
    def _llm_type(self) -> str:
        return "slate-local-transformers"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Runnable:
        return self.model_copy(update={"tools": [convert_to_openai_tool(t) for t in tools]})  # same _weights

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tokenizer, model = self._load()
        prompt = tokenizer.apply_chat_template(
            _role_messages(messages), tools=self.tools or None, add_generation_prompt=True, tokenize=False
        )
        inputs = tokenizer(prompt, return_tensors="pt").to(model.device)
        with self._weights.lock:
            output = model.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False)
        text = tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        calls = parse_tool_calls(text)
        message = AIMessage(content="" if calls else text.strip(), tool_calls=calls)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _load(self) -> tuple[Any, Any]:
        with self._weights.lock:
            if self._weights.loaded is None:
                from transformers import AutoModelForCausalLM, AutoTokenizer

                from tools.device import pick_device

                if not self.model_path.exists():
                    raise RuntimeError(f"No local model at {self.model_path}.")
                tokenizer = AutoTokenizer.from_pretrained(self.model_path, local_files_only=True)
                model = AutoModelForCausalLM.from_pretrained(self.model_path, local_files_only=True)
                self._weights.loaded = (tokenizer, model.to(pick_device()).eval())
            return self._weights.loaded

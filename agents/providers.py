"""Chat models by name: Slate's own offline model, or any provider LangChain can start.

``llm = "offline"`` (the default) needs nothing installed; any other value is an
``init_chat_model`` id such as ``"openai:gpt-4.1"``, ``"anthropic:claude-sonnet-4-5"``,
``"bedrock_converse:anthropic.claude-3-5-sonnet-20240620-v1:0"`` or ``"ollama:llama3.1"``,
whose integration package is installed as an optional extra; or ``"transformers:/path"``, a
local open instruction model loaded from that directory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from agents.local_model import LocalTransformersChat
from agents.offline_model import FilmGrammarModel

BUILTIN_MODELS: dict[str, Callable[[], BaseChatModel]] = {"offline": FilmGrammarModel}


def chat_model(name: str) -> BaseChatModel:
    if name in BUILTIN_MODELS:
        return BUILTIN_MODELS[name]()
    if name.startswith("transformers:"):
        return LocalTransformersChat(model_path=Path(name.removeprefix("transformers:")).expanduser())
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(name)
    except ImportError as error:
        raise RuntimeError(f"LLM {name!r} needs its LangChain integration installed: {error}") from None
    except ValueError as error:
        raise RuntimeError(f"LLM {name!r} is not a chat model LangChain can start: {error}") from None

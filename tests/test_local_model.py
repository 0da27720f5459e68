"""A local open model from a transformers directory, through the agent loop (tiny random model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from transformers import LlamaConfig, LlamaForCausalLM

from agents import Direction, Director, ShotDesk
from agents.local_model import LocalTransformersChat, parse_tool_calls
from agents.providers import chat_model
from memory.ledger import ImageStore, Ledger, ThreadRef
from tests.tiny_models import write_tiny_tokenizer
from tools.diffusers_engine import DiffusersEngine

TEMPLATE = (
    "{% if tools %}tools: {{ tools | tojson }}\n{% endif %}"
    "{% for m in messages %}<{{ m.role }}> {{ m.content }}\n{% endfor %}"
    "{% if add_generation_prompt %}<assistant> {% endif %}"
)


@pytest.fixture(scope="module")
def tiny_llm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer Llama with random weights and a chat template, saved as a user's model would be."""
    directory = tmp_path_factory.mktemp("llm")
    tokenizer = write_tiny_tokenizer(directory)
    tokenizer.chat_template = TEMPLATE
    tokenizer.save_pretrained(directory)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=16384,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(directory)
    return directory


def test_tool_calls_are_read_in_the_forms_open_models_emit() -> None:
    tagged = parse_tool_calls(
        '<tool_call>{"name": "generate_shot", "arguments": {"description": "WS"}}</tool_call>'
    )
    assert [(c["name"], c["args"]) for c in tagged] == [("generate_shot", {"description": "WS"})]
    bare = parse_tool_calls('{"name": "vary_shot", "arguments": "{\\"how\\": \\"strong\\"}"}')
    assert [(c["name"], c["args"]) for c in bare] == [("vary_shot", {"how": "strong"})]
    assert parse_tool_calls("A wide shot of the harbour.") == []
    assert parse_tool_calls("<tool_call>{not json}</tool_call>") == []


def test_the_local_model_loads_once_from_its_path_and_runs_the_agent_loop(
    tiny_llm: Path, tiny_engine: DiffusersEngine, ledger: Ledger, images: ImageStore
) -> None:
    model = chat_model(f"transformers:{tiny_llm}")
    assert isinstance(model, LocalTransformersChat)
    model = model.model_copy(update={"max_new_tokens": 6})
    director = Director(ShotDesk(tiny_engine, ledger, images, base_side=64), model)
    thread = ThreadRef("T1", "C1", "1.0")
    reply = director.handle(Direction("WS, the harbour at dawn", "U1", thread))
    # Random weights write noise, not a tool call: the loop ends with that text and records nothing.
    assert isinstance(reply.text, str) and reply.outcomes == ()
    weights = model._weights.loaded
    director.handle(Direction("tighter", "U1", thread))
    assert weights is not None and model._weights.loaded is weights


def test_a_missing_local_model_is_a_clear_error(tmp_path: Path) -> None:
    model = chat_model(f"transformers:{tmp_path / 'nowhere'}")
    with pytest.raises(RuntimeError, match="No local model at"):
        model.invoke("hello")

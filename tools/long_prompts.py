"""Prompts longer than CLIP reads, encoded whole instead of cut at 77 tokens.

A direction plus the canon it carries ("…; Maya: a young woman with a dark braid, wearing dented
silver armour; look: teal shadows, warm skin") easily passes the 77 tokens a CLIP text encoder
reads, and the pipeline silently drops the end — the costume and the look, the very continuity
Slate adds. For the CLIP families (Stable Diffusion 1.x/2.x, and SDXL with its two encoders)
compel encodes the prompt in 77-token chunks and joins them; other families (T5 reads hundreds of
tokens) and prompts that fit take the strings as before.
"""

from __future__ import annotations

import re
from typing import Any

import torch
from compel import Compel, ReturnedEmbeddingsType


def prompt_inputs(pipeline: Any, prompt: str, negative: str) -> dict[str, Any]:
    """The pipeline's prompt arguments: the strings, or embeddings of the whole prompt when a CLIP
    tokenizer would cut it."""
    strings = {"prompt": prompt, "negative_prompt": negative or None}
    tokenizer = getattr(pipeline, "tokenizer", None)
    encoder = getattr(pipeline, "text_encoder", None)
    if tokenizer is None or encoder is None or not _cut(tokenizer, prompt, negative):
        return strings
    second = getattr(pipeline, "text_encoder_2", None)
    with torch.no_grad():
        if second is None:
            return _single_encoder(tokenizer, encoder, prompt, negative)
        if getattr(pipeline, "tokenizer_2", None) is None:
            return strings  # a family compel doesn't know: let the pipeline cut it
        return _two_encoders(pipeline, prompt, negative)


def _cut(tokenizer: Any, *texts: str) -> bool:
    """Whether the tokenizer's window (77 for CLIP) is too short for any of the texts."""
    window = int(getattr(tokenizer, "model_max_length", 77) or 77)
    if window > 1000:  # a tokenizer with no real limit says so with a huge number
        return False
    return any(len(tokenizer(text, truncation=False).input_ids) > window for text in texts if text)


def _escaped(text: str) -> str:
    """The director's words as they are: compel reads "(…)" and "word+" as weights, a prompt has none."""
    return re.sub(r"([()\[\]])", r"\\\1", text)


def _single_encoder(tokenizer: Any, encoder: Any, prompt: str, negative: str) -> dict[str, Any]:
    compel = Compel(tokenizer=tokenizer, text_encoder=encoder, truncate_long_prompts=False)
    embeds, negative_embeds = compel.pad_conditioning_tensors_to_same_length(
        [compel(_escaped(prompt)), compel(_escaped(negative))]
    )
    return {"prompt_embeds": embeds, "negative_prompt_embeds": negative_embeds}


def _two_encoders(pipeline: Any, prompt: str, negative: str) -> dict[str, Any]:
    """SDXL: both encoders' penultimate states side by side, the second's pooled output too."""
    compel = Compel(
        tokenizer=[pipeline.tokenizer, pipeline.tokenizer_2],
        text_encoder=[pipeline.text_encoder, pipeline.text_encoder_2],
        returned_embeddings_type=ReturnedEmbeddingsType.PENULTIMATE_HIDDEN_STATES_NON_NORMALIZED,
        requires_pooled=[False, True],
        truncate_long_prompts=False,
    )
    (embeds, pooled), (negative_embeds, negative_pooled) = (
        compel(_escaped(prompt)),
        compel(_escaped(negative)),
    )
    embeds, negative_embeds = compel.pad_conditioning_tensors_to_same_length([embeds, negative_embeds])
    return {
        "prompt_embeds": embeds,
        "pooled_prompt_embeds": pooled,
        "negative_prompt_embeds": negative_embeds,
        "negative_pooled_prompt_embeds": negative_pooled,
    }

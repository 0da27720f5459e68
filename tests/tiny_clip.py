"""A tiny, random-weight CLIP saved to disk like a real one, for the image side of the vector index.

Two layers of 32 wide on each side, 32 px images, a 16-d shared space: it loads and embeds in
milliseconds through the same ``AutoModel``/``AutoProcessor`` path a real CLIP directory takes.
"""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor

from tests.tiny_models import write_tiny_tokenizer

TINY_CLIP_DIMENSION = 16


def build_tiny_clip(directory: Path, seed: int = 0) -> Path:
    torch.manual_seed(seed)
    tokenizer = write_tiny_tokenizer(directory / "_clip_tokenizer_src")
    config = CLIPConfig(
        text_config={
            "vocab_size": len(tokenizer),
            "hidden_size": 32,
            "intermediate_size": 37,
            "num_attention_heads": 4,
            "num_hidden_layers": 2,
            "max_position_embeddings": 77,
            "bos_token_id": tokenizer.bos_token_id,
            "eos_token_id": tokenizer.eos_token_id,
            "pad_token_id": tokenizer.pad_token_id,
        },
        vision_config={
            "image_size": 32,
            "patch_size": 8,
            "hidden_size": 32,
            "intermediate_size": 37,
            "num_attention_heads": 4,
            "num_hidden_layers": 2,
        },
        projection_dim=TINY_CLIP_DIMENSION,
    )
    processor = CLIPProcessor(
        image_processor=CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}),
        tokenizer=tokenizer,
    )
    target = directory / "tiny-clip"
    CLIPModel(config).eval().save_pretrained(target)
    processor.save_pretrained(target)
    return target

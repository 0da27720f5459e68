"""Tiny, random-weight diffusion models built from configs, saved to disk like real ones.

The product loads them through its own loader, so tests and benchmarks run the real
diffusers code path in a fraction of a second, with no download.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

from tools.device import pick_device


def _byte_alphabet() -> list[str]:
    """The 256 printable stand-ins GPT-2/CLIP BPE uses for raw bytes."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    printable += list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = [], 0
    for byte in range(256):
        if byte in printable:
            chars.append(chr(byte))
        else:
            chars.append(chr(256 + extra))
            extra += 1
    return chars


def write_tiny_tokenizer(directory: Path) -> CLIPTokenizer:
    """A CLIP tokenizer over single characters plus a few merges: real BPE, tiny vocabulary."""
    directory.mkdir(parents=True, exist_ok=True)
    alphabet = _byte_alphabet()
    merges = ["t h", "th e</w>", "a n", "an d</w>", "i n", "in g</w>", "e r", "o n</w>"]
    tokens = alphabet + [c + "</w>" for c in alphabet] + [m.replace(" ", "") for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    vocab = {token: index for index, token in enumerate(dict.fromkeys(tokens))}
    (directory / "vocab.json").write_text(json.dumps(vocab))
    (directory / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")
    return CLIPTokenizer.from_pretrained(directory, model_max_length=77, pad_token="<|endoftext|>")


def tiny_text_encoder(tokenizer: CLIPTokenizer) -> CLIPTextModel:
    """A 2-layer, 32-wide CLIP text encoder over the tiny tokenizer's vocabulary."""
    return CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            vocab_size=len(tokenizer),
            max_position_embeddings=77,
        )
    )


def build_tiny_sd(directory: Path, seed: int = 0, vae_scale: int = 2) -> Path:
    """Save a tiny Stable Diffusion pipeline as a diffusers directory.

    ``vae_scale`` 2 keeps test images tiny (64 px is a 32 px latent); 8 is Stable Diffusion's
    own ×8 VAE, so a 512 px benchmark runs on a 64 px latent as the real model does.
    """
    vae_blocks = {2: 2, 4: 3, 8: 4}[vae_scale]
    torch.manual_seed(seed)
    tokenizer = write_tiny_tokenizer(directory / "_tokenizer_src")
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16),
        layers_per_block=1,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=4,
        norm_num_groups=4,
    )
    vae = AutoencoderKL(
        block_out_channels=(8, 16, 16, 16)[:vae_blocks],
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * vae_blocks,
        up_block_types=("UpDecoderBlock2D",) * vae_blocks,
        latent_channels=4,
        norm_num_groups=4,
        sample_size=64,
    )
    text_encoder = tiny_text_encoder(tokenizer)
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    pipeline = StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    target = directory / f"tiny-sd-x{vae_scale}"
    pipeline.save_pretrained(target)
    return target


if __name__ == "__main__":  # build one by hand: python -m tests.tiny_models DIR
    import sys

    print(build_tiny_sd(Path(sys.argv[1])), "on", pick_device())


def build_tiny_upscaler(directory: Path, seed: int = 0) -> Path:
    """Save a tiny Stable Diffusion ×4 upscaler (the real pipeline class, random weights)."""
    from diffusers import DDPMScheduler, StableDiffusionUpscalePipeline

    torch.manual_seed(seed)
    tokenizer = write_tiny_tokenizer(directory / "_upscaler_tokenizer_src")
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16),
        layers_per_block=1,
        sample_size=16,
        in_channels=7,  # 4 latent channels + the 3-channel low-resolution image
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=4,
        norm_num_groups=4,
        num_class_embeds=100,  # the noise level
    )
    vae = AutoencoderKL(
        block_out_channels=(8, 16, 16),  # three blocks: latents are ×4 smaller, as in the real upscaler
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 3,
        up_block_types=("UpDecoderBlock2D",) * 3,
        latent_channels=4,
        norm_num_groups=4,
        scaling_factor=0.08333,  # the x4 upscaler's own VAE scaling
    )
    text_encoder = tiny_text_encoder(tokenizer)
    pipeline = StableDiffusionUpscalePipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        low_res_scheduler=DDPMScheduler(),
        scheduler=DDIMScheduler(prediction_type="v_prediction"),
        max_noise_level=350,
    )
    target = directory / "tiny-upscaler"
    pipeline.save_pretrained(target)
    return target

"""Tiny, random-weight consistency artefacts for the tiny SD model, saved to disk as users have them.

- an IP-Adapter in the original checkpoint format (``image_proj.*`` + ``ip_adapter.N.to_k_ip``
  keys, ``.safetensors`` and ``.bin``) beside a CLIP vision ``image_encoder`` folder, laid out
  like h94/IP-Adapter's ``models/`` folder;
- a LoRA on the UNet's attention projections, trained-script style (peft ``LoraConfig`` →
  ``save_lora_weights``);
- a ControlNet made from the UNet (``ControlNetModel.from_unet``) and saved with
  ``save_pretrained``.

Fresh adapters are inert by design (LoRA ``B`` and ControlNet zero-convolutions start at zero),
so each is given random weights here, as a trained one would have, so tests can see its effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from diffusers import ControlNetModel, StableDiffusionPipeline, UNet2DConditionModel
from peft import LoraConfig
from peft.utils import get_peft_model_state_dict
from safetensors.torch import save_file
from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

from config.models import IPAdapterConfig

IMAGE_EMBED_DIM = 32  # the tiny image encoder's projection_dim
IP_TOKENS = 4  # the plain IP-Adapter's image tokens


@dataclass(frozen=True)
class TinyAdapters:
    ip_adapter: IPAdapterConfig
    ip_adapter_bin: IPAdapterConfig
    lora: Path
    other_lora: Path
    controlnet: Path


def build_tiny_adapters(directory: Path, model: Path, seed: int = 0) -> TinyAdapters:
    """Build every artefact for the tiny SD model saved at ``model``."""
    torch.manual_seed(seed)

    def unet() -> UNet2DConditionModel:  # a fresh copy each time: adding a LoRA changes the model
        return UNet2DConditionModel.from_pretrained(model / "unet")

    ip_adapter, ip_adapter_bin = build_tiny_ip_adapter(directory / "ip-adapter", unet())
    return TinyAdapters(
        ip_adapter=ip_adapter,
        ip_adapter_bin=ip_adapter_bin,
        lora=build_tiny_lora(directory / "loras" / "maya_v2.safetensors", unet()),
        other_lora=build_tiny_lora(directory / "loras" / "noir-look.safetensors", unet()),
        controlnet=build_tiny_controlnet(directory / "controlnet-edges", unet()),
    )


def build_tiny_ip_adapter(
    directory: Path, unet: UNet2DConditionModel
) -> tuple[IPAdapterConfig, IPAdapterConfig]:
    """An IP-Adapter checkpoint for ``unet`` and its image encoder, in ``directory/models``."""
    models = directory / "models"
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            image_size=32,
            patch_size=8,
            projection_dim=IMAGE_EMBED_DIM,
        )
    )
    encoder.save_pretrained(models / "image_encoder")
    cross_dim = unet.config.cross_attention_dim
    state = {
        "image_proj.proj.weight": torch.randn(cross_dim * IP_TOKENS, IMAGE_EMBED_DIM) * 0.5,
        "image_proj.proj.bias": torch.randn(cross_dim * IP_TOKENS) * 0.1,
        "image_proj.norm.weight": torch.ones(cross_dim),
        "image_proj.norm.bias": torch.zeros(cross_dim),
    }
    # The original numbering, as diffusers' converter reads it: cross-attention layers in
    # ``unet.attn_processors`` order take keys 1, 3, 5, …; each projects the image tokens to the
    # same width as that layer's text keys and values.
    key_id = 1
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue
        attention = unet.get_submodule(name.removesuffix(".processor"))
        for projection in ("to_k", "to_v"):
            shape = getattr(attention, projection).weight.shape
            state[f"ip_adapter.{key_id}.{projection}_ip.weight"] = torch.randn(shape) * 0.5
        key_id += 2
    save_file(state, models / "ip-adapter_tiny.safetensors")
    nested: dict[str, dict[str, torch.Tensor]] = {"image_proj": {}, "ip_adapter": {}}
    for key, tensor in state.items():
        group, rest = key.split(".", 1)
        nested[group][rest] = tensor
    torch.save(nested, models / "ip-adapter_tiny.bin")
    return (
        IPAdapterConfig(path=directory, subfolder="models", weight_name="ip-adapter_tiny.safetensors"),
        IPAdapterConfig(
            path=directory,
            subfolder="models",
            weight_name="ip-adapter_tiny.bin",
            image_encoder=models / "image_encoder",
        ),
    )


def build_tiny_lora(path: Path, unet: UNet2DConditionModel, rank: int = 4) -> Path:
    """A LoRA on ``unet``'s attention projections, saved as the diffusers training scripts save one.

    ``unet`` keeps the LoRA layers afterwards: pass a copy you can throw away.
    """
    config = LoraConfig(
        r=rank,
        lora_alpha=rank,
        init_lora_weights=False,  # random B as well as A: a "trained" LoRA that changes the output
        target_modules=["to_q", "to_k", "to_v", "to_out.0"],
    )
    unet.add_adapter(config, adapter_name="trained")
    layers = get_peft_model_state_dict(unet, adapter_name="trained")
    StableDiffusionPipeline.save_lora_weights(path.parent, unet_lora_layers=layers, weight_name=path.name)
    return path


def build_tiny_controlnet(directory: Path, unet: UNet2DConditionModel) -> Path:
    """A ControlNet initialised from ``unet``, with its zero convolutions given random weights."""
    controlnet = ControlNetModel.from_unet(unet, conditioning_embedding_out_channels=(8, 16))
    zero_initialised = [
        controlnet.controlnet_cond_embedding.conv_out,
        *controlnet.controlnet_down_blocks,
        controlnet.controlnet_mid_block,
    ]
    with torch.no_grad():
        for module in zero_initialised:
            for parameter in module.parameters():
                parameter.normal_(0.0, 0.3)
    controlnet.save_pretrained(directory)
    return directory


if __name__ == "__main__":  # build by hand: python -m tests.tiny_adapters MODEL_DIR OUT_DIR
    import sys

    print(build_tiny_adapters(Path(sys.argv[2]), Path(sys.argv[1])))

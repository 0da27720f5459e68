"""Consistency hooks on the tiny SD model with tiny random-weight adapters saved to disk.

Each test loads its own pipeline through the product's loader: adapters change the shared UNet,
so a test sees exactly the state it builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pytest
import torch
from diffusers import AutoPipelineForImage2Image, EulerDiscreteScheduler
from PIL import Image, ImageDraw
from safetensors.torch import save_file

from config.models import ControlKind, IPAdapterConfig, ModelSpec
from tests.tiny_adapters import TinyAdapters, build_tiny_adapters
from tools import engine
from tools.consistency import ConsistencyKit, region_masks
from tools.controlnet import control_image, edge_map
from tools.engine import ControlRef, GenerationError, GenerationRequest, LoraRef, Reference
from tools.pipelines import load_pipeline

LEFT, RIGHT = (0.0, 0.0, 0.5, 1.0), (0.5, 0.0, 1.0, 1.0)


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    """Tiny models gain nothing from threads, and on a shared machine OpenMP's waiting threads
    make each call ~50× slower (measured: 5 s instead of 0.06 s)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def adapters(tiny_sd_path: Path, tmp_path_factory: pytest.TempPathFactory) -> TinyAdapters:
    return build_tiny_adapters(tmp_path_factory.mktemp("adapters"), tiny_sd_path)


@pytest.fixture(scope="module")
def spec(tiny_sd_path: Path, adapters: TinyAdapters) -> ModelSpec:
    return ModelSpec(
        path=tiny_sd_path,
        steps=2,
        width=64,
        height=64,
        ip_adapter=adapters.ip_adapter,
        controlnets={"edges": adapters.controlnet},
    )


def load(spec: ModelSpec, dtype: torch.dtype = torch.float32) -> Any:
    return load_pipeline(spec, torch.device("cpu"), dtype)


def picture(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (48, 48, 3), dtype=np.uint8))


def request(**overrides: Any) -> GenerationRequest:
    return GenerationRequest(**{"prompt": "maya on the pier", "width": 64, "height": 64, **overrides})


def run(kit: ConsistencyKit, pipeline: Any, guidance: float = 7.0, **overrides: Any) -> np.ndarray:
    """What the engine does: prepare under its lock, then call with the returned arguments."""
    call, extra = kit.prepare(pipeline, request(**overrides))
    output = call(
        prompt="maya on the pier",
        width=64,
        height=64,
        num_inference_steps=2,
        guidance_scale=guidance,
        generator=torch.Generator("cpu").manual_seed(7),
        output_type="np",
        **extra,
    )
    return output.images[0]


def test_references_change_the_shot_load_once_and_switch_off(spec: ModelSpec) -> None:
    pipeline, kit = load(spec), ConsistencyKit(spec, "tiny")
    plain = run(kit, pipeline)
    maya = (Reference(picture(1), "Maya", 0.8),)
    with_maya = run(kit, pipeline, references=maya)
    assert not np.allclose(with_maya, plain)
    assert np.array_equal(run(kit, pipeline, references=maya), with_maya)
    assert not np.allclose(run(kit, pipeline, references=(Reference(picture(2), "Ade", 0.8),)), with_maya)
    # Loaded, the UNet needs image embeddings on every call: without references it gets idle ones at 0.
    assert np.array_equal(run(kit, pipeline), plain)
    run(kit, pipeline, guidance=1.0)  # no classifier-free guidance: the idle embeddings still fit
    assert kit.loads == {"ip_adapter": 1}


def test_regions_give_each_character_their_part_of_the_frame(spec: ModelSpec) -> None:
    pipeline, kit = load(spec), ConsistencyKit(spec, "tiny")
    maya, ade = picture(1), picture(2)
    one = run(kit, pipeline, references=(Reference(maya, "Maya"),))
    two = run(
        kit, pipeline, references=(Reference(maya, "Maya", region=LEFT), Reference(ade, "Ade", region=RIGHT))
    )
    swapped = run(
        kit, pipeline, references=(Reference(maya, "Maya", region=RIGHT), Reference(ade, "Ade", region=LEFT))
    )
    assert not np.allclose(two, one)
    assert not np.allclose(two, swapped)

    _, extra = kit.prepare(pipeline, request(references=(Reference(maya, region=LEFT), Reference(ade))))
    (masks,) = extra["cross_attention_kwargs"]["ip_adapter_masks"]
    assert masks.shape == (1, 2, 64, 64) and len(extra["ip_adapter_image"][0]) == 2
    assert masks[0, 0, :, :32].min() == 1 and masks[0, 0, :, 32:].max() == 0  # Maya: the left half
    assert masks[0, 1].min() == 1  # no region: the whole frame


def test_region_masks_follow_the_frame_not_the_square() -> None:
    masks = region_masks((Reference(picture(1), region=(0.25, 0.5, 0.75, 1.0)),), (96, 64))
    assert masks.shape == (1, 1, 64, 96)
    rows, cols = np.nonzero(masks[0, 0].numpy())
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (32, 63, 24, 71)


def test_ip_adapter_bin_checkpoint_with_encoder_elsewhere(spec: ModelSpec, adapters: TinyAdapters) -> None:
    bin_spec = spec.model_copy(update={"ip_adapter": adapters.ip_adapter_bin})
    pipeline, kit = load(bin_spec), ConsistencyKit(bin_spec, "tiny")
    assert not np.allclose(run(kit, pipeline, references=(Reference(picture(1)),)), run(kit, pipeline))


@pytest.mark.filterwarnings("ignore:Already found a `peft_config`")  # peft, on a second LoRA
def test_loras_apply_at_their_strength_and_switch_off(spec: ModelSpec, adapters: TinyAdapters) -> None:
    pipeline, kit = load(spec), ConsistencyKit(spec, "tiny")
    plain = run(kit, pipeline)
    maya = LoraRef("maya_v2", adapters.lora, 0.8)
    with_lora = run(kit, pipeline, loras=(maya,))
    assert not np.allclose(with_lora, plain)
    assert np.array_equal(run(kit, pipeline, loras=(LoraRef("maya_v2", adapters.lora, 0.0),)), plain)
    assert np.array_equal(run(kit, pipeline), plain)  # a shot without LoRAs runs with none active
    assert np.array_equal(run(kit, pipeline, loras=(maya,)), with_lora)  # and they come back on
    both = run(kit, pipeline, loras=(maya, LoraRef("noir.look", adapters.other_lora, 0.5)))
    assert not np.allclose(both, with_lora)
    assert kit.loads == {"lora:maya_v2": 1, "lora:noir.look": 1}


def test_controlnet_follows_the_edges_and_shares_the_base_weights(spec: ModelSpec) -> None:
    pipeline, kit = load(spec), ConsistencyKit(spec, "tiny")
    plain = run(kit, pipeline)
    square, circle = Image.new("RGB", (64, 64)), Image.new("RGB", (64, 64))
    ImageDraw.Draw(square).rectangle((16, 16, 47, 47), fill="white")
    ImageDraw.Draw(circle).ellipse((8, 8, 40, 40), fill="white")
    with_square = run(kit, pipeline, control=ControlRef("edges", square))
    assert not np.allclose(with_square, plain)
    assert not np.allclose(run(kit, pipeline, control=ControlRef("edges", circle)), with_square)
    assert np.array_equal(run(kit, pipeline), plain)

    sibling, extra = kit.prepare(pipeline, request(control=ControlRef("edges", square, 0.5)))
    assert type(sibling).__name__ == "StableDiffusionControlNetPipeline"
    assert extra["controlnet_conditioning_scale"] == 0.5 and extra["image"].size == (64, 64)
    for part in ("unet", "vae", "text_encoder"):
        ours, theirs = getattr(sibling, part).parameters(), getattr(pipeline, part).parameters()
        assert all(a.data_ptr() == b.data_ptr() for a, b in zip(ours, theirs, strict=True))
    assert kit.prepare(pipeline, request(control=ControlRef("edges", circle)))[0] is sibling
    assert kit.loads == {"controlnet:edges": 1}
    pipeline.scheduler = EulerDiscreteScheduler.from_config(pipeline.scheduler.config)  # a per-call sampler
    assert (
        kit.prepare(pipeline, request(control=ControlRef("edges", circle)))[0].scheduler is pipeline.scheduler
    )


def test_controlnet_for_img2img_and_everything_at_once(spec: ModelSpec, adapters: TinyAdapters) -> None:
    base = load(spec)
    img2img = AutoPipelineForImage2Image.from_pipe(base)  # made before any adapter is loaded
    kit = ConsistencyKit(spec, "tiny")
    start = picture(3).resize((64, 64))
    call, extra = kit.prepare(
        img2img,
        request(
            mode="img2img",
            init_image=start,
            references=(
                Reference(picture(1), "Maya", region=LEFT),
                Reference(picture(2), "Ade", region=RIGHT),
            ),
            loras=(LoraRef("maya_v2", adapters.lora),),
            control=ControlRef("edges", start),
        ),
    )
    assert type(call).__name__ == "StableDiffusionControlNetImg2ImgPipeline" and "control_image" in extra
    generator = torch.Generator("cpu").manual_seed(7)
    output = call(prompt="x", image=start, strength=0.5, num_inference_steps=2, generator=generator, **extra)
    assert output.images[0].size == (64, 64)


def test_sharing_keeps_the_base_dtype(spec: ModelSpec) -> None:
    pipeline, kit = load(spec, torch.bfloat16), ConsistencyKit(spec, "tiny")
    sibling, _ = kit.prepare(pipeline, request(control=ControlRef("edges", picture(1))))
    assert pipeline.unet.dtype == sibling.controlnet.dtype == torch.bfloat16


def test_unconfigured_use_says_what_to_configure(tiny_sd_path: Path) -> None:
    bare = ModelSpec(path=tiny_sd_path)
    pipeline, kit = load(bare), ConsistencyKit(bare, "tiny")
    with pytest.raises(GenerationError, match="model 'tiny' has none: set its `ip_adapter` entry"):
        kit.prepare(pipeline, request(references=(Reference(picture(1)),)))
    with pytest.raises(GenerationError, match=r"add `controlnets.depth = \"<folder>\"`"):
        kit.prepare(pipeline, request(control=ControlRef("depth", picture(1))))
    assert kit.loads == {}


def test_missing_files_are_named(spec: ModelSpec, adapters: TinyAdapters, tmp_path: Path) -> None:
    pipeline = load(spec)
    gone = tmp_path / "gone"
    cases = [
        (
            {"ip_adapter": IPAdapterConfig(path=gone, weight_name="ip.safetensors")},
            request(references=(Reference(picture(1)),)),
            gone / "ip.safetensors",
        ),
        (
            {"ip_adapter": adapters.ip_adapter.model_copy(update={"image_encoder": gone})},
            request(references=(Reference(picture(1)),)),
            gone,
        ),
        ({"controlnets": {"edges": gone}}, request(control=ControlRef("edges", picture(1))), gone),
        ({}, request(loras=(LoraRef("maya", gone / "maya.safetensors"),)), gone / "maya.safetensors"),
    ]
    for update, bad, path in cases:
        kit = ConsistencyKit(spec.model_copy(update=update), "tiny")
        with pytest.raises(GenerationError, match=str(path)):
            kit.prepare(pipeline, bad)
        assert kit.loads == {}


def test_lora_weights_that_do_not_fit_are_refused_and_a_renamed_file_reloads(
    spec: ModelSpec, adapters: TinyAdapters, tmp_path: Path
) -> None:
    pipeline, kit = load(spec), ConsistencyKit(spec, "tiny")
    bogus = tmp_path / "other-model.safetensors"
    save_file({"transformer.blocks.0.lora_A.weight": torch.zeros(4, 640)}, bogus)
    with pytest.raises(GenerationError, match="has no weights that fit model 'tiny'"):
        kit.prepare(pipeline, request(loras=(LoraRef("flux", bogus),)))
    kit.prepare(pipeline, request(loras=(LoraRef("maya", adapters.lora),)))
    kit.prepare(pipeline, request(loras=(LoraRef("maya", adapters.other_lora),)))  # retrained
    assert kit.loads["lora:maya"] == 2 and pipeline.get_list_adapters() == {"unet": ["lora_maya"]}


def test_edges_are_thin_white_lines_on_black() -> None:
    square = Image.new("RGB", (64, 64))
    ImageDraw.Draw(square).rectangle((16, 16, 47, 47), fill=(200, 180, 160))
    edges = np.asarray(edge_map(square))[:, :, 0] > 0
    assert edges[16:48, 15:17].any(axis=1).all() and edges[15:17, 16:48].any(axis=0).all()  # every side
    assert not edges[22:42, 22:42].any() and not edges[:8].any()  # nothing inside or far outside
    assert edges.sum() < 4 * 32 * 3  # thinned, not a band
    assert not np.asarray(edge_map(Image.new("RGB", (32, 32), "gray"))).any()


def test_depth_and_pose_need_the_map_itself() -> None:
    photo = picture(1)
    with pytest.raises(GenerationError, match="needs a depth map.*no depth estimator"):
        control_image(ControlRef("depth", photo), (64, 64))
    with pytest.raises(GenerationError, match="needs an OpenPose skeleton.*no pose detector"):
        control_image(ControlRef("pose", photo), (64, 64))
    depth = Image.linear_gradient("L").convert("RGB")
    assert control_image(ControlRef("depth", depth), (96, 64)).size == (96, 64)
    skeleton = Image.new("RGB", (64, 64))
    ImageDraw.Draw(skeleton).line((10, 10, 50, 50), fill=(255, 0, 0), width=3)
    assert control_image(ControlRef("pose", skeleton), (64, 64)).getpixel((30, 30)) == (255, 0, 0)


def test_describe_for_the_record(spec: ModelSpec, adapters: TinyAdapters) -> None:
    described = ConsistencyKit(spec).describe(
        request(
            references=(Reference(picture(1), "Maya", 0.6, (0.0, 0.0, 0.5, 1.0)), Reference(picture(2))),
            loras=(LoraRef("maya_v2", adapters.lora),),
            control=ControlRef("edges", picture(3)),
        )
    )
    assert described == ("ip:Maya@0.6[0,0,0.5,1]", "ip:ref2@0.6", "lora:maya_v2@0.8", "control:edges@1")


def test_config_entries(tmp_path: Path) -> None:
    spec = ModelSpec.model_validate(
        {
            "path": "~/models/sd15",
            "ip_adapter": {
                "path": "~/models/ip",
                "subfolder": "models",
                "weight_name": "ip-adapter_sd15.bin",
            },
            "controlnets": {"edges": "~/models/canny"},
        }
    )
    assert (
        spec.ip_adapter is not None
        and spec.ip_adapter.weights == Path.home() / "models/ip/models/ip-adapter_sd15.bin"
    )
    assert spec.ip_adapter.encoder == Path.home() / "models/ip/models/image_encoder"
    assert spec.controlnets == {"edges": Path.home() / "models/canny"}
    with pytest.raises(ValueError, match="edges"):
        ModelSpec.model_validate({"path": tmp_path, "controlnets": {"sketch": tmp_path}})
    assert get_args(ControlKind) == get_args(engine.ControlKind)

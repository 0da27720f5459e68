"""The long-side cap on output: an upscale past it is refused with both sizes, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from PIL import Image

from agents import Direction, Director, ShotDesk
from agents.providers import chat_model
from config import load_settings
from config.models import ModelSpec
from memory.ledger import ImageStore, Ledger, ThreadRef
from tools import operations as ops
from tools.diffusers_engine import DiffusersEngine
from tools.engine import MAX_SIDE, GenerationError, GenerationRecord, check_upscale
from tools.previz import PrevizEngine
from tools.registry import build_engine
from tools.upscale import DiffusionUpscaler, resample

PARENT = GenerationRecord(
    prompt="WS, the harbour", negative_prompt="", seed=1, steps=0, guidance=0.0,
    width=0, height=0, model="previz", engine="previz",
)  # fmt: skip


def test_the_refusal_names_the_result_and_the_cap() -> None:
    with pytest.raises(GenerationError) as refused:
        check_upscale((4096, 2304), 4.0)
    assert str(refused.value) == (
        "Upscaling 4096×2304 by 4× would make 16384×9216; the limit is 4096 px on the long side."
    )
    check_upscale((1024, 576), 4.0)  # 4096×2304: exactly at the cap is fine


def test_the_resampler_refuses_past_its_cap_and_makes_what_fits() -> None:
    image = Image.new("RGB", (128, 72), "grey")
    with pytest.raises(GenerationError, match="would make 512×288; the limit is 256 px"):
        resample(image, 4.0, max_side=256)
    assert resample(image, 2.0, max_side=256).size == (256, 144)


def test_the_previz_engine_refuses_an_upscale_past_its_cap() -> None:
    engine = PrevizEngine(max_side=256)
    image = Image.new("RGB", (128, 72), "grey")
    with pytest.raises(GenerationError, match="Upscaling 128×72 by 3× would make 384×216"):
        ops.upscale(engine, PARENT, image, 3.0)
    assert ops.upscale(engine, PARENT, image, 2.0).image.size == (256, 144)


def test_the_diffusers_engine_refuses_before_loading_anything(tmp_path: Path) -> None:
    engine = DiffusersEngine({"gone": ModelSpec(path=tmp_path / "no-such-model")}, "gone")
    with pytest.raises(GenerationError, match="16384×9216; the limit is 4096 px"):
        ops.upscale(engine, PARENT, Image.new("RGB", (4096, 2304)), 4.0)
    capped = DiffusersEngine({"gone": ModelSpec(path=tmp_path / "no-such-model")}, "gone", max_side=1024)
    with pytest.raises(GenerationError, match="the limit is 1024 px"):
        ops.upscale(capped, PARENT, Image.new("RGB", (768, 432)), 2.0)
    assert engine.load_count == capped.load_count == 0


def test_the_diffusion_upscaler_checks_the_size_before_its_weights(tmp_path: Path) -> None:
    upscaler = DiffusionUpscaler(tmp_path / "no-upscaler", torch.device("cpu"), torch.float32)
    generator = torch.Generator().manual_seed(0)
    with pytest.raises(GenerationError, match="would make 2048×1152; the limit is 1024 px"):
        upscaler.upscale(Image.new("RGB", (512, 288)), "", 4.0, generator, 2, max_side=1024)


@pytest.mark.usefixtures("isolated_env")
def test_the_cap_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().max_output_side == MAX_SIDE
    assert build_engine(load_settings()).max_side == MAX_SIDE  # type: ignore[attr-defined]
    monkeypatch.setenv("SLATE_MAX_OUTPUT_SIDE", "2048")
    assert build_engine(load_settings()).max_side == 2048  # type: ignore[attr-defined]


def test_upscaling_twice_is_refused_and_the_shot_can_still_be_revised(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    desk = ShotDesk(PrevizEngine(max_side=512), ledger, ImageStore(tmp_path / "images"), base_side=64)
    director = Director(desk, chat_model("offline"))
    thread = ThreadRef("T1", "C1", "1.0")

    def ask(text: str):  # type: ignore[no-untyped-def]
        return director.handle(Direction(text=text, user_id="U1", thread=thread))

    assert ask("WS, the harbour at dawn").outcomes[0].width == 88
    assert ask("upscale 4x").outcomes[0].width == 352
    refused = ask("upscale 4x")
    assert refused.outcomes == () and refused.text == (
        "Could not upscale the shot: Upscaling 352×256 by 4× would make 1408×1024; "
        "the limit is 512 px on the long side."
    )
    revised = ask("make the sky stormy")
    assert revised.outcomes and revised.outcomes[0].version_number == 3

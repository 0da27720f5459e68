"""Hand-off: a scene of approved shots written to every format and read back by the tools that
read those formats: the OTIO adapters, csv/json, c2pa-python, pypdfium2 and psd-tools."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import c2pa
import opentimelineio as otio
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image
from psd_tools import PSDImage

from memory.ledger import ImageStore, Ledger
from tests.export_scene import APPROVER, BLEND, CHANNEL, SeededScene, seed_scene
from tools.export.credentials import make_credentials
from tools.export.cut import ExportError
from tools.export.handoff import Exported, export
from tools.export.options import ExportOptions
from tools.export.provenance import GENERATION, IPTC, REVIEW, assertion, read_manifest
from tools.export.storyboard import storyboard_pdf

SCENE_12 = ["12_001_v001", "12_002_v002", "12_003_v001"]
FRAMES_AT_24 = [108, 60, 72]  # 4.5 s, 2.5 s, and the 3 s default
ADAPTERS = {"otio": ("otio_json", ".otio"), "edl": ("cmx_3600", ".edl"), "fcp7": ("fcp_xml", "_fcp7.xml")}
ADAPTERS |= {"fcpxml": ("fcpx_xml", ".fcpxml"), "aaf": ("AAF", ".aaf")}


@pytest.fixture
def seeded(ledger: Ledger, images: ImageStore) -> SeededScene:
    return seed_scene(ledger, images)


@pytest.fixture
def options(tmp_path: Path) -> ExportOptions:
    return ExportOptions(credentials_dir=tmp_path / "credentials")


@pytest.fixture(scope="module")
def scene_12(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """Scene 12 in every format, written once for the tests that read it back."""
    tmp = tmp_path_factory.mktemp("scene-12")
    ledger, images = Ledger(tmp / "ledger.sqlite3"), ImageStore(tmp / "images")
    seeded = seed_scene(ledger, images)
    return export(
        ledger, images, seeded.project_id, tmp / "out", ExportOptions(tmp / "credentials"), scene="12"
    )


def _file(exported: Exported, suffix: str) -> Path:
    (found,) = [p for p in exported.files if p.name.endswith(suffix)]
    return found


@pytest.mark.parametrize("name", list(ADAPTERS))
def test_each_timeline_reads_back_with_its_adapter_in_cut_order_and_length(
    scene_12: Exported, name: str
) -> None:
    adapter, suffix = ADAPTERS[name]
    timeline = otio.adapters.read_from_file(str(_file(scene_12, suffix)), adapter_name=adapter)
    clips = list(timeline.find_clips())
    assert [c.name for c in clips] == SCENE_12
    assert [c.source_range.duration.to_frames() for c in clips] == FRAMES_AT_24
    for clip in clips:  # every clip's media is a frame of the bundle
        target = clip.media_reference.target_url.removeprefix("file://")
        assert (scene_12.out / target).is_file() and target.endswith(f"{clip.name}.png")


def test_the_otio_clips_carry_the_record_the_spec_and_the_approval(scene_12: Exported) -> None:
    timeline = otio.adapters.read_from_file(str(_file(scene_12, ".otio")))
    revised = list(timeline.find_clips())[1].metadata["slate"]
    assert revised["shot"] == 2 and revised["version"] == 2 and revised["parent_version"] == 1
    assert revised["approval"]["by"] == APPROVER and revised["approval"]["status"] == "approved"
    assert revised["approval"]["at"].startswith("20")
    assert revised["generation"]["model"] == "sdxl-film" and revised["generation"]["mode"] == "img2img"
    assert revised["spec"]["shot_size"] == "MCU" and revised["spec"]["lens_mm"] == "50"
    assert list(revised["dialogue"]) == ["MAYA: Rook.", "ROOK: Not now."]
    assert list(timeline.metadata["slate"]["left_out"]) == ["Shot 4 (pending review)"]  # never silently


def test_the_edl_names_each_shot_and_version_in_its_reel(scene_12: Exported) -> None:
    edl = _file(scene_12, ".edl").read_text()
    assert [line.split()[1] for line in edl.splitlines() if line[:3].isdigit()] == [
        "SH001V01", "SH002V02", "SH003V01",
    ]  # fmt: skip


def test_the_manifests_list_every_frame_with_its_hash_approver_spec_and_record(scene_12: Exported) -> None:
    with _file(scene_12, "_manifest.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["file"] for r in rows] == [f"frames/{n}.png" for n in SCENE_12]
    first = rows[0]
    assert (first["scene"], first["shot"], first["version"], first["status"]) == ("12", "1", "1", "approved")
    assert (
        first["approved_by"] == APPROVER and first["spec_shot_size"] == "WS" and first["spec_lens_mm"] == "24"
    )
    assert first["model"] == "previz" and first["seed"] == "7" and "harbour" in first["prompt"]
    import hashlib

    for row in rows:
        assert hashlib.sha256((scene_12.out / row["file"]).read_bytes()).hexdigest() == row["sha256"]
    document = json.loads(_file(scene_12, "_manifest.json").read_text())
    assert document["scope"] == "Scene 12" and document["left_out"] == ["Shot 4 (pending review)"]
    assert [s["generation"]["seed"] for s in document["shots"]] == [7, 8, 7]


def test_every_frame_carries_content_credentials_with_model_approval_and_parent(scene_12: Exported) -> None:
    anchor = _file(scene_12, "slate-c2pa-ca.pem").read_bytes()
    revised = (scene_12.out / "frames/12_002_v002.png").read_bytes()
    manifest, state = read_manifest(revised, anchor)
    assert state == "Trusted"  # signed by the project's signer, chained to the CA in the bundle
    (action, edit) = assertion(manifest, "c2pa.actions.v2")["actions"]
    assert action["action"] == "c2pa.opened" and edit["action"] == "c2pa.edited"
    assert edit["digitalSourceType"] == IPTC + "trainedAlgorithmicMedia"
    assert edit["softwareAgent"]["name"] == "sdxl-film"
    generation = assertion(manifest, GENERATION)
    assert generation["model"] == "sdxl-film" and generation["seed"] == 8 and generation["steps"] == 30
    review = assertion(manifest, REVIEW)
    assert review["approval"]["by"] == APPROVER and review["approval"]["status"] == "approved"
    (parent,) = manifest["ingredients"]
    assert parent["title"] == "12_002_v001.png" and parent["relationship"] == "parentOf"
    assert "thumbnail" not in manifest  # the frame is its own picture: no JPEG copy inside it
    with c2pa.Reader("image/png", io.BytesIO(revised)) as reader:  # the parent's own credentials, inside
        parents_own = json.loads(reader.json())["manifests"][parent["active_manifest"]]
    assert assertion(parents_own, REVIEW)["version"] == 1 and assertion(parents_own, GENERATION)["seed"] == 7
    assert assertion(manifest, "c2pa.training-mining") is None  # not asked for in this project

    previz, _ = read_manifest((scene_12.out / "frames/12_001_v001.png").read_bytes(), anchor)
    (created,) = assertion(previz, "c2pa.actions.v2")["actions"]
    assert created["action"] == "c2pa.created" and created["digitalSourceType"] == IPTC + "algorithmicMedia"
    assert "Blender" in created["softwareAgent"]["name"] and not previz.get("ingredients")

    tampered = bytearray(revised)
    tampered[revised.index(b"IDAT") + 100] ^= 0xFF  # one byte of the pixels
    assert read_manifest(bytes(tampered), anchor)[1] == "Invalid"
    with Image.open(scene_12.out / "frames/12_002_v002.png") as image:  # still a plain PNG to every tool
        assert image.size == (320, 180)


def test_do_not_train_and_a_studios_own_signer(
    ledger: Ledger, images: ImageStore, seeded: SeededScene, tmp_path: Path
) -> None:
    make_credentials(tmp_path / "studio", organisation="Harbour Pictures")
    studio = ExportOptions(
        credentials_dir=tmp_path / "unused",
        signing_key=tmp_path / "studio/signer-key.pem",
        signing_cert=tmp_path / "studio/signer-chain.pem",
        do_not_train=True,
    )
    exported = export(
        ledger, images, seeded.project_id, tmp_path / "out", studio, formats=["frames"], shots=[5]
    )
    frame = (exported.out / "frames/13_005_v001.png").read_bytes()
    manifest, state = read_manifest(frame, (tmp_path / "studio/slate-ca.pem").read_bytes())
    assert state == "Trusted" and manifest["signature_info"]["issuer"] == "Harbour Pictures"
    mining = assertion(manifest, "c2pa.training-mining")["entries"]
    assert mining["c2pa.ai_generative_training"] == {"use": "notAllowed"}
    assert not (tmp_path / "unused").exists()


def test_the_storyboard_has_a_panel_per_shot_n_to_a_page(
    ledger: Ledger, images: ImageStore, seeded: SeededScene, options: ExportOptions, tmp_path: Path
) -> None:
    exported = export(ledger, images, seeded.project_id, tmp_path / "out", options, formats=["pdf"])
    assert exported.single is not None and exported.single.name == "the-harbour_all-shots_storyboard.pdf"
    cut = exported.cut
    frames = {t.version_id: images.image(t.image_sha256) for t in cut.takes}
    pdf = pdfium.PdfDocument(storyboard_pdf(cut, frames, panels_per_page=3))
    assert len(pdf) == 2  # four approved shots, three to a page
    panels = []
    for page in pdf:
        images_on_page = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        text = page.get_textpage().get_text_range()
        panels.append((len(images_on_page), [n for n in (1, 2, 3, 5) if f"SHOT {n}" in text]))
        rendered = page.render(scale=1).to_pil().convert("L")
        assert rendered.getextrema()[0] < 60  # frames and ink, not a blank page
    assert panels == [(3, [1, 2, 3]), (1, [5])]
    first = pdf[0].get_textpage().get_text_range()
    assert "WS · high angle · 24mm · crane" in first and "ROOK: Not now." in first and "SC 12" in first


def test_a_psd_has_the_frame_and_labels_as_layers_and_the_blend_goes_beside_it(
    ledger: Ledger, images: ImageStore, seeded: SeededScene, options: ExportOptions, tmp_path: Path
) -> None:
    exported = export(
        ledger, images, seeded.project_id, tmp_path / "out", options, formats=["psd"], scene="12"
    )
    assert {p.relative_to(exported.out).as_posix() for p in exported.files} == {
        "psd/12_001_v001.psd", "psd/12_002_v002.psd", "psd/12_003_v001.psd", "blend/12_001_v001.blend",
    }  # fmt: skip
    assert (exported.out / "blend/12_001_v001.blend").read_bytes() == BLEND
    psd = PSDImage.open(exported.out / "psd/12_002_v002.psd")
    assert [layer.name for layer in psd] == ["Frame", "Paint here", "Labels", "Safe areas"]
    assert [layer.visible for layer in psd] == [True, True, True, False]
    take = exported.cut.takes[1]
    assert psd[0].topil().convert("RGB").tobytes() == images.image(take.image_sha256).tobytes()
    assert psd[1].topil().getextrema()[3] == (0, 0)  # clear, to paint on
    assert psd[2].topil().getextrema()[3][1] > 0  # the labels are there


def test_pending_shots_go_in_only_when_asked_and_bad_scopes_say_why(
    ledger: Ledger, images: ImageStore, seeded: SeededScene, options: ExportOptions, tmp_path: Path
) -> None:
    everything = export(
        ledger, images, seeded.project_id, tmp_path / "all", options, formats=["frames"], include_pending=True
    )
    assert [(t.shot, t.status) for t in everything.cut.takes] == [
        (1, "approved"), (2, "approved"), (3, "approved"), (4, "pending_review"), (5, "approved"),
    ]  # fmt: skip
    with pytest.raises(ExportError, match=r"no scene 99 in this project \(scenes: 12, 13\)"):
        export(ledger, images, seeded.project_id, tmp_path / "x", options, scene="99")
    with pytest.raises(ExportError, match=r"Shot 4 \(pending review\).*include pending"):
        export(ledger, images, seeded.project_id, tmp_path / "x", options, shots=[4])
    with pytest.raises(ExportError, match="no shot 9"):
        export(ledger, images, seeded.project_id, tmp_path / "x", options, shots=[1, 9])
    with pytest.raises(ExportError, match="no export format 'mov'"):
        export(ledger, images, seeded.project_id, tmp_path / "x", options, formats=["mov"])
    assert not (tmp_path / "x").exists()  # refused before anything was written


def test_the_cli_writes_the_same_bundle_and_says_what_is_wrong(seeded: SeededScene, tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tools.export", "--data-dir", str(tmp_path), "--channel", CHANNEL, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = cli("--scene", "12", "--format", "edl", "--format", "pdf", "--out", str(tmp_path / "bundle"))
    assert done.returncode == 0, done.stderr
    written = {p.relative_to(tmp_path / "bundle").as_posix() for p in (tmp_path / "bundle").rglob("*.*")}
    assert {
        "the-harbour_scene-12.edl",
        "the-harbour_scene-12_storyboard.pdf",
        "frames/12_002_v002.png",
    } <= written
    assert "3 shots" in done.stdout and "Shot 4 (pending review)" in done.stdout
    refused = cli("--scene", "99", "--out", str(tmp_path / "nothing"))
    assert refused.returncode == 2 and "no scene 99" in refused.stderr and "Traceback" not in refused.stderr
    unknown = cli("--channel", "C0NOPE", "--out", str(tmp_path / "nothing"))
    assert unknown.returncode == 2 and "no project" in unknown.stderr

"""Open in Blender and Play the move: a previz version's kept files handed to the thread.

A previz artist takes over from Slate's camera, figures and set in Blender itself (the .blend);
a director sees the camera move as an animatic (the GIF Slack plays inline). Nothing is generated,
so the press posts the kept file at once (anyone who may look at the project may).
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.parts import BotParts, tell, where_pressed
from bot.version_message import parse_action
from memory.ledger.images import ANIMATIC_SUFFIX, SCENE_SUFFIX


def register(app: App, parts: BotParts) -> None:
    @app.action(re.compile(r"^slate\.open_blend\.\d+$"))
    def on_open_blend(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        _, version_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        where = where_pressed(body)
        if parts.refuse(client, where, "view"):
            return
        version = parts.ledger.version(version_id)
        if version is None or version.scene_sha256 is None or parts.images is None:
            tell(client, where, "That version has no 3D scene to open: only a Blender previz keeps one.")
            return
        label = f"Shot {version.shot.number} · v{version.number}"
        try:
            client.files_upload_v2(
                channel=where.channel_id,
                thread_ts=where.thread_ts,
                content=parts.images.get(version.scene_sha256, SCENE_SUFFIX),
                filename=f"shot{version.shot.number:03d}_v{version.number:03d}_blocking{SCENE_SUFFIX}",
                title=f"{label} blocking",
                initial_comment=(
                    f"{label}: the blocking as a Blender 5.0 scene (File › Open) — Slate's camera, "
                    f"figures and set, for <@{where.user_id}> to take on from here."
                ),
            )
        except (SlackApiError, OSError) as error:
            tell(client, where, f"I couldn't hand over {label}'s scene: {error}.")

    @app.action(re.compile(r"^slate\.animatic\.\d+$"))
    def on_animatic(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        _, version_id = parse_action(body["actions"][0]["action_id"]) or ("", 0)
        where = where_pressed(body)
        if parts.refuse(client, where, "view"):
            return
        version = parts.ledger.version(version_id)
        if version is None or version.animatic_sha256 is None or parts.images is None:
            tell(
                client,
                where,
                "That version has no animatic: only a Blender previz with a camera move keeps one.",
            )
            return
        label = f"Shot {version.shot.number} · v{version.number}"
        move = str(version.extra.get("spec_camera_move", "")) or "the camera move"
        try:
            client.files_upload_v2(
                channel=where.channel_id,
                thread_ts=where.thread_ts,
                content=parts.images.get(version.animatic_sha256, ANIMATIC_SUFFIX),
                filename=f"shot{version.shot.number:03d}_v{version.number:03d}_animatic{ANIMATIC_SUFFIX}",
                title=f"{label} animatic",
                initial_comment=(
                    f"{label}: {move}, from the still to the end of the move (previz animatic; the keys "
                    f"are in the .blend), for <@{where.user_id}>."
                ),
            )
        except (SlackApiError, OSError) as error:
            tell(client, where, f"I couldn't post {label}'s animatic: {error}.")

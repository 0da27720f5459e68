"""App Home: each project's shots by status, waiting-for-review first, with their latest frame.

Published with ``views.publish`` when the person opens the Home tab, and again whenever a
status changes, so it is the team's dashboard without a page to load. Read from the ledger
alone (Slack allows a Home view 100 blocks; a long project shows its first shots and a count).
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from agents.lookup import shot_standing
from bot.kit import mrkdwn
from bot.parts import BotParts
from memory.ledger.models import Character, Project, Shot, Style
from memory.ledger.review import LABELS, STATUS_ICONS

log = logging.getLogger(__name__)

MAX_BLOCKS = 100
ORDER = ("pending_review", "changes_requested", "approved", "final", "superseded", "omitted")


def register(app: App, parts: BotParts) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, context: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish(client, parts, context.get("team_id") or "", event["user"])


def publish(client: WebClient, parts: BotParts, team_id: str, user_id: str) -> None:
    try:
        client.views_publish(user_id=user_id, view=home_view(parts, team_id))
    except SlackApiError as error:
        log.warning("could not publish App Home for %s: %s", user_id, error.response.get("error"))


def home_view(parts: BotParts, team_id: str) -> dict:
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Slate — shots in review"}},
    ]
    with parts.ledger.reading() as session:
        projects = list(
            session.scalars(select(Project).where(Project.team_id == team_id).order_by(Project.id))
        )
    if not projects:
        blocks.append(_text("No shots yet. Mention @slate in a channel with a direction to make the first."))
    for project in projects:
        blocks += project_blocks(parts, project)
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [
            _context("More shots than App Home can show: `/slate shots` lists all.")
        ]
    return {"type": "home", "blocks": blocks}


def project_blocks(parts: BotParts, project: Project) -> list[dict]:
    """A project's heading, its shots (review first, each with its latest frame), its canon."""
    thumbnails = parts.jobs.files_in(project.channel_id)
    rows = []
    with parts.ledger.reading() as session:
        for shot in session.scalars(select(Shot).where(Shot.project_id == project.id).order_by(Shot.number)):
            if not shot.versions:
                continue
            latest = shot.versions[-1]
            standing, _ = shot_standing(session, shot)
            rows.append(
                (
                    ORDER.index(standing) if standing in ORDER else 0,
                    shot.number,
                    shot.title or latest.prompt,
                    latest,
                    standing,
                )
            )
        characters = list(session.scalars(select(Character.name).where(Character.project_id == project.id)))
        looks = list(session.scalars(select(Style.name).where(Style.project_id == project.id)))
    blocks: list[dict] = [{"type": "divider"}, _text(f"*<#{project.channel_id}>* · {len(rows)} shot(s)")]
    for _, number, title, latest, standing in sorted(rows, key=lambda r: (r[0], r[1])):
        section = _text(
            f"{STATUS_ICONS.get(standing, '')} *Shot {number}* · v{latest.number} · {LABELS[standing]}\n"
            f"{title[:200]}"
        )
        file_id = thumbnails.get(latest.id)
        if file_id:
            section["accessory"] = {
                "type": "image",
                "slack_file": {"id": file_id},
                "alt_text": f"Shot {number} v{latest.number}",
            }
        blocks.append(section)
    canon = []
    if characters:
        canon.append("*Characters:* " + ", ".join(characters))
    if looks:
        canon.append("*Looks:* " + ", ".join(looks))
    if canon:
        blocks.append(_context(" · ".join(canon)))
    return blocks


def _text(text: str) -> dict:
    return {"type": "section", "text": mrkdwn(text[:3000])}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text)]}

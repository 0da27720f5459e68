"""Block Kit checks: what Slack refuses with `invalid_blocks` before it stores a message or a view.

Slack validates blocks against its schema and answers `invalid_blocks` with
`response_metadata.messages` such as "[ERROR] must be less than 51 items
[json-pointer:/blocks]". The rules here are the ones a bot trips in practice
(counts, lengths, duplicate ids, missing fields, unknown files); blocks that
pass are stored exactly as given, as Slack echoes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from localslack.params import ApiError

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100  # modals and the App Home
MAX_ID = 255  # block_id and action_id

BLOCK_TYPES = frozenset(
    {"section", "context", "image", "divider", "actions", "header", "input", "rich_text", "file"}
)
SELECTS = frozenset({"static_select", "multi_static_select"})
OPTION_ELEMENTS = SELECTS | {"overflow", "radio_buttons", "checkboxes"}
PICKERS = frozenset(
    {
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "datepicker",
        "timepicker",
        "datetimepicker",
    }
)
TEXT_INPUTS = frozenset(
    {
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "rich_text_input",
        "file_input",
    }
)
ACTIONS_ELEMENTS = frozenset({"button", "workflow_button"}) | OPTION_ELEMENTS | PICKERS
ACCESSORY_ELEMENTS = ACTIONS_ELEMENTS | {"image"}
INPUT_ELEMENTS = OPTION_ELEMENTS | PICKERS | TEXT_INPUTS
# (most options, fewest options) per element with options
OPTION_COUNTS = {
    "static_select": (100, 1),
    "multi_static_select": (100, 1),
    "overflow": (5, 1),
    "radio_buttons": (10, 1),
    "checkboxes": (10, 1),
}

SlackFileCheck = Callable[[dict], bool]  # True when a slack_file object names a file of the workspace


def check_blocks(value: Any, *, limit: int, slack_file_ok: SlackFileCheck) -> list[dict]:
    """`value` when it is a valid list of at most `limit` blocks, else `ApiError("invalid_blocks")`.

    block_id and action_id must be unique across the whole list: one message,
    or one view.
    """
    checker = _Checker(slack_file_ok)
    checker.blocks(value, limit)
    if checker.problems:
        raise ApiError("invalid_blocks", checker.problems)
    return value


def interactive_elements(blocks: Any) -> Iterator[tuple[int, dict, dict]]:
    """(block index, block, element) for every element a person can act on, in display order."""
    for index, block in enumerate(blocks if isinstance(blocks, list) else []):
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "actions":
            candidates = block.get("elements") or []
        elif kind == "section":
            candidates = [block.get("accessory")]
        elif kind == "input":
            candidates = [block.get("element")]
        else:
            continue
        for element in candidates:
            if isinstance(element, dict) and element.get("type") != "image":
                yield index, block, element


def block_id_of(block: dict) -> str:
    """The block's block_id; Slack makes one up for a block sent without, stable for its content."""
    if block.get("block_id"):
        return str(block["block_id"])
    digest = hashlib.sha1(json.dumps(block, sort_keys=True).encode()).hexdigest()
    return digest[:5]


def image_blocks(blocks: Any) -> list[dict]:
    """The image blocks of a message or view, in order."""
    return [b for b in blocks if isinstance(b, dict) and b.get("type") == "image"] if blocks else []


class _Checker:
    """Walks one list of blocks, collecting Slack-style problems with their JSON pointers."""

    def __init__(self, slack_file_ok: SlackFileCheck) -> None:
        self.slack_file_ok = slack_file_ok
        self.problems: list[str] = []
        self.block_ids: set[str] = set()
        self.action_ids: set[str] = set()

    def fail(self, pointer: str, problem: str) -> None:
        self.problems.append(f"[ERROR] {problem} [json-pointer:{pointer}]")

    # ---- blocks ----------------------------------------------------------

    def blocks(self, value: Any, limit: int) -> None:
        if not isinstance(value, list):
            self.fail("/blocks", "must be an array of blocks")
            return
        if len(value) > limit:
            self.fail("/blocks", f"must be less than {limit + 1} items")
        for index, block in enumerate(value):
            self.block(f"/blocks/{index}", block)

    def block(self, at: str, block: Any) -> None:
        if not isinstance(block, dict):
            self.fail(at, "must be an object")
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.fail(f"{at}/type", f"unknown block type {kind!r}")
            return
        if "block_id" in block:
            self.unique_id(f"{at}/block_id", block["block_id"], self.block_ids, "block_id")
        getattr(self, f"_{kind}")(at, block)

    def _section(self, at: str, block: dict) -> None:
        if "text" not in block and "fields" not in block:
            self.fail(at, "must provide `text` or `fields`")
        if "text" in block:
            self.text(f"{at}/text", block["text"], 3000)
        if "fields" in block:
            fields = block["fields"]
            if not isinstance(fields, list) or not 1 <= len(fields) <= 10:
                self.fail(f"{at}/fields", "must hold 1 to 10 text objects")
            else:
                for index, field in enumerate(fields):
                    self.text(f"{at}/fields/{index}", field, 2000)
        if "accessory" in block:
            self.element(f"{at}/accessory", block["accessory"], ACCESSORY_ELEMENTS)

    def _elements(self, at: str, block: dict, most: int) -> list:
        """A block's elements, refused when there are none or more than ``most``."""
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.fail(f"{at}/elements", "must hold at least 1 element")
            return []
        if len(elements) > most:
            self.fail(f"{at}/elements", f"must be less than {most + 1} items")
        return elements

    def _context(self, at: str, block: dict) -> None:
        for index, element in enumerate(self._elements(at, block, 10)):
            where = f"{at}/elements/{index}"
            if isinstance(element, dict) and element.get("type") == "image":
                self.image(where, element)
            else:
                self.text(where, element, 3000)

    def _image(self, at: str, block: dict) -> None:
        self.image(at, block)
        if "title" in block:
            self.text(f"{at}/title", block["title"], 2000, plain=True)

    def _divider(self, at: str, block: dict) -> None:
        pass

    def _actions(self, at: str, block: dict) -> None:
        for index, element in enumerate(self._elements(at, block, 25)):
            self.element(f"{at}/elements/{index}", element, ACTIONS_ELEMENTS)

    def _header(self, at: str, block: dict) -> None:
        self.text(f"{at}/text", block.get("text"), 150, plain=True)

    def _input(self, at: str, block: dict) -> None:
        self.text(f"{at}/label", block.get("label"), 2000, plain=True)
        if "element" not in block:
            self.fail(f"{at}/element", "is required")
        else:
            self.element(f"{at}/element", block["element"], INPUT_ELEMENTS)
        if "hint" in block:
            self.text(f"{at}/hint", block["hint"], 2000, plain=True)

    def _rich_text(self, at: str, block: dict) -> None:
        if not isinstance(block.get("elements"), list):
            self.fail(f"{at}/elements", "is required")

    def _file(self, at: str, block: dict) -> None:
        if not isinstance(block.get("external_id"), str) or not block["external_id"]:
            self.fail(f"{at}/external_id", "is required")
        if block.get("source") != "remote":
            self.fail(f"{at}/source", "must be 'remote'")

    # ---- elements --------------------------------------------------------

    def element(self, at: str, element: Any, allowed: frozenset[str]) -> None:
        if not isinstance(element, dict):
            self.fail(at, "must be an object")
            return
        kind = element.get("type")
        if kind not in allowed:
            self.fail(f"{at}/type", f"element type {kind!r} is not allowed here")
            return
        if kind == "image":
            self.image(at, element)
            return
        if "action_id" in element:
            self.unique_id(f"{at}/action_id", element["action_id"], self.action_ids, "action_id")
        if kind == "button":
            self.text(f"{at}/text", element.get("text"), 75, plain=True)
            self.length(f"{at}/value", element.get("value"), 2000)
            self.length(f"{at}/url", element.get("url"), 3000)
            if element.get("style") not in (None, "primary", "danger"):
                self.fail(f"{at}/style", "must be 'primary' or 'danger'")
        elif kind in OPTION_ELEMENTS:
            self.options(at, element)
        if "placeholder" in element:
            self.text(f"{at}/placeholder", element["placeholder"], 150, plain=True)

    def options(self, at: str, element: dict) -> None:
        kind = element["type"]
        most, fewest = OPTION_COUNTS[kind]
        plain = kind in SELECTS or kind == "overflow"
        if kind in SELECTS and "option_groups" in element and "options" not in element:
            groups = element["option_groups"]
            if not isinstance(groups, list) or not 1 <= len(groups) <= 100:
                self.fail(f"{at}/option_groups", "must hold 1 to 100 groups")
                return
            for index, group in enumerate(groups):
                where = f"{at}/option_groups/{index}"
                self.text(f"{where}/label", (group or {}).get("label"), 75, plain=True)
                self.option_list(f"{where}/options", (group or {}).get("options"), most, fewest, plain)
            return
        self.option_list(f"{at}/options", element.get("options"), most, fewest, plain)

    def option_list(self, at: str, options: Any, most: int, fewest: int, plain: bool) -> None:
        if not isinstance(options, list) or not fewest <= len(options) <= most:
            self.fail(at, f"must hold {fewest} to {most} options")
            return
        for index, option in enumerate(options):
            where = f"{at}/{index}"
            if not isinstance(option, dict):
                self.fail(where, "must be an object")
                continue
            self.text(f"{where}/text", option.get("text"), 75, plain=plain)
            value = option.get("value")
            if not isinstance(value, str) or not 1 <= len(value) <= 150:
                self.fail(f"{where}/value", "must be a string of 1 to 150 characters")

    def image(self, at: str, image: dict) -> None:
        """An image block or element: alt_text, and exactly one of image_url / slack_file."""
        alt = image.get("alt_text")
        if not isinstance(alt, str) or not 1 <= len(alt) <= 2000:
            self.fail(f"{at}/alt_text", "is required (1 to 2000 characters)")
        has_url, has_file = "image_url" in image, "slack_file" in image
        if has_url == has_file:
            self.fail(at, "must provide exactly one of `image_url` or `slack_file`")
            return
        if has_url:
            url = image["image_url"]
            if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > 3000:
                self.fail(f"{at}/image_url", "must be an http(s) URL of at most 3000 characters")
            return
        slack_file = image["slack_file"]
        if not isinstance(slack_file, dict) or len({"id", "url"} & set(slack_file)) != 1:
            self.fail(f"{at}/slack_file", "must provide exactly one of `id` or `url`")
        elif not self.slack_file_ok(slack_file):
            self.fail(f"{at}/slack_file", "invalid slack file: no such file in this workspace")

    # ---- values ----------------------------------------------------------

    def text(self, at: str, obj: Any, most: int, *, plain: bool = False) -> None:
        """A text object: plain_text (or mrkdwn where allowed) with 1 to `most` characters."""
        kinds = ("plain_text",) if plain else ("plain_text", "mrkdwn")
        if not isinstance(obj, dict) or obj.get("type") not in kinds:
            self.fail(at, f"must be a text object of type {' or '.join(kinds)}")
            return
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.fail(f"{at}/text", "must be more than 0 characters")
        elif len(text) > most:
            self.fail(f"{at}/text", f"must be less than {most + 1} characters")

    def length(self, at: str, value: Any, most: int) -> None:
        if value is None:
            return
        if not isinstance(value, str) or len(value) > most:
            self.fail(at, f"must be a string of less than {most + 1} characters")

    def unique_id(self, at: str, value: Any, seen: set[str], name: str) -> None:
        if not isinstance(value, str) or not 1 <= len(value) <= MAX_ID:
            self.fail(at, f"{name} must be a string of 1 to {MAX_ID} characters")
        elif value in seen:
            self.fail(at, f"{name} {value!r} already exists")
        else:
            seen.add(value)

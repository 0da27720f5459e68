"""A person using the app's interactive surfaces: buttons, selects, modals, slash commands, shortcuts.

Each interaction goes to the app as Slack sends it: a signed form POST to the
events URL (`payload=<json>` for interactivity; the fields themselves for a
slash command), or an `interactive` / `slash_commands` envelope in Socket
Mode. Slack waits 3 s for the ack, then shows the person an error and drops
the answer. What the ack says is then honoured as Slack honours it: a view
submission's `response_action`, a slash command's text or blocks.

A person can only act on what is there: pressing an action_id the message
does not show, or submitting a view that is not the top of their stack,
raises `InteractionError` instead of sending anything.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from localslack import payloads
from localslack.blocks import TEXT_INPUTS, block_id_of, interactive_elements
from localslack.params import ApiError
from localslack.responses import ResponseTarget

if TYPE_CHECKING:
    from localslack.local import LocalWorkspace

INTERACTION_TIMEOUT_S = 3.0
CHOICE_ELEMENTS = frozenset({"static_select", "overflow", "radio_buttons"})


class InteractionError(ValueError):
    """Something a person could not do in Slack's client (nothing was sent to the app)."""


@dataclass
class Interaction:
    """One interaction and what came of it."""

    kind: str  # block_actions, view_submission, view_closed, message_action, slash_command
    status: int  # the app's HTTP status (200 for a Socket Mode ack); 0 when none came
    body: dict  # the parsed ack body; {} when empty
    elapsed_s: float
    view: dict | None = None  # for views: the user's top modal afterwards (None when all closed)
    error: str | None = None  # what Slack showed the person instead: operation_timeout, dispatch_failed, …
    message: dict | None = None  # the message Slack showed from the ack (slash commands)
    payload: dict = field(default_factory=dict)  # what was sent

    @property
    def errors(self) -> dict:
        """A view submission's `response_action: errors`, by block_id."""
        if self.body.get("response_action") == "errors":
            return dict(self.body.get("errors") or {})
        return {}


class Interactivity:
    """Builds and sends interactions for `LocalWorkspace`, and applies the app's answers."""

    def __init__(self, workspace: LocalWorkspace, timeout_s: float = INTERACTION_TIMEOUT_S) -> None:
        self.workspace = workspace
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._log: list[Interaction] = []

    @property
    def log(self) -> list[Interaction]:
        with self._lock:
            return list(self._log)

    # ---- messages --------------------------------------------------------

    def press(
        self,
        user: str,
        channel: str,
        message_ts: str,
        action_id: str,
        *,
        value: str | None = None,
        selected_option: Any = None,
    ) -> Interaction:
        """block_actions from a message (ephemeral ones included, for the person who sees them)."""
        person = self._person(user)
        channel_info = self._channel(channel)
        state = self.workspace.state
        message = state.message(channel_info["id"], message_ts)
        is_ephemeral = message is None
        if message is None:
            message = state.ephemeral_message(channel_info["id"], message_ts, user)
        if message is None:
            raise InteractionError(f"{user} sees no message {message_ts} in #{channel_info['name']}")
        block, element = _find(message.get("blocks"), action_id, f"message {message_ts}")
        action = _action(block, element, value, selected_option)
        api = self.workspace.api
        container = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_info["id"],
            "is_ephemeral": is_ephemeral,
        }
        if message.get("thread_ts") and message["thread_ts"] != message_ts:
            container["thread_ts"] = message["thread_ts"]
        target = ResponseTarget(user, channel_info["id"], message_ts, is_ephemeral)
        payload = payloads.block_actions(
            person,
            container=container,
            trigger_id=api.triggers.issue(user),
            actions=[action],
            channel=channel_info,
            message=None if is_ephemeral else message,  # Slack leaves an ephemeral message out
            response_url=api.responses.issue("actions", target),
        )
        return self._deliver("block_actions", payload)

    def shortcut(self, user: str, channel: str, message_ts: str, callback_id: str) -> Interaction:
        """message_action: a message shortcut chosen from a message's "…" menu."""
        person = self._person(user)
        channel_info = self._channel(channel)
        message = self.workspace.state.message(channel_info["id"], message_ts)
        if message is None:
            raise InteractionError(f"no message {message_ts} in #{channel_info['name']}")
        api = self.workspace.api
        target = ResponseTarget(user, channel_info["id"], message_ts)
        payload = payloads.message_action(
            person,
            channel_info,
            message,
            callback_id=callback_id,
            trigger_id=api.triggers.issue(user),
            response_url=api.responses.issue("actions", target),
        )
        return self._deliver("message_action", payload)

    def slash_command(self, user: str, channel: str, command: str, text: str) -> Interaction:
        """A slash command; its ack's text/blocks are shown as Slack shows them."""
        if not command.startswith("/"):
            raise InteractionError(f"a slash command starts with '/': {command!r}")
        person = self._person(user)
        channel_info = self._channel(channel)
        api = self.workspace.api
        fields = payloads.slash_command(
            person,
            channel_info,
            command=command,
            text=text,
            trigger_id=api.triggers.issue(user),
            response_url=api.responses.issue("commands", ResponseTarget(user, channel_info["id"])),
        )
        interaction = self._deliver("slash_command", fields)
        if interaction.error is None:
            try:
                interaction.message = api.responses.show(user, channel_info["id"], interaction.body)
            except ApiError as error:
                interaction.error = error.code
        if interaction.error is not None:
            notice = {
                "type": "message",
                "user": "USLACKBOT",
                "text": f'{command} failed with the error "{interaction.error}"',
                "recipient": user,
            }
            interaction.message = self.workspace.state.add_ephemeral(channel_info["id"], notice)
        return interaction

    # ---- views -----------------------------------------------------------

    def press_in_view(
        self,
        user: str,
        view_id: str,
        action_id: str,
        *,
        value: str | None = None,
        selected_option: Any = None,
    ) -> Interaction:
        """block_actions from a modal in the user's stack or from their App Home."""
        person = self._person(user)
        store = self.workspace.api.view_store
        view = next((v for v in store.stack(user) if v["id"] == view_id), None)
        home = store.home(user)
        if view is None and home is not None and home["id"] == view_id:
            view = home
        if view is None:
            raise InteractionError(f"{user} has no view {view_id} open")
        block, element = _find(view["blocks"], action_id, f"view {view_id}")
        payload = payloads.block_actions(
            person,
            container={"type": "view", "view_id": view_id},
            trigger_id=self.workspace.api.triggers.issue(user, view_id=view_id),
            actions=[_action(block, element, value, selected_option)],
            view=view,
        )
        interaction = self._deliver("block_actions", payload)
        interaction.view = store.top(user)
        return interaction

    def submit(self, user: str, view_id: str, values: dict) -> Interaction:
        """view_submission of the user's top modal with `values` typed in; the ack decides what stays open."""
        person = self._person(user)
        store = self.workspace.api.view_store
        top = store.top(user)
        if top is None or top["id"] != view_id:
            raise InteractionError(f"{view_id} is not the modal {user} sees (top: {top and top['id']})")
        if top.get("submit") is None:
            raise InteractionError(f"{view_id} has no submit button")
        view = store.set_values(view_id, _state_values(top, values))
        trigger_id = self.workspace.api.triggers.issue(user, view_id=view_id)
        interaction = self._deliver("view_submission", payloads.view_submission(person, view, trigger_id))
        if interaction.error is None:
            interaction.error = self._response_action(user, interaction.body)
        interaction.view = store.top(user)
        return interaction

    def close(self, user: str, view_id: str) -> Interaction:
        """The person closes their top modal; view_closed goes to the app only with notify_on_close."""
        person = self._person(user)
        store = self.workspace.api.view_store
        top = store.top(user)
        if top is None or top["id"] != view_id:
            raise InteractionError(f"{view_id} is not the modal {user} sees (top: {top and top['id']})")
        cleared = bool(top.get("clear_on_close"))
        if cleared:
            store.clear(user)
        else:
            store.pop(user)
        if top.get("notify_on_close"):
            interaction = self._deliver("view_closed", payloads.view_closed(person, top, is_cleared=cleared))
        else:
            interaction = Interaction("view_closed", 0, {}, 0.0)
        interaction.view = store.top(user)
        return interaction

    def _response_action(self, user: str, body: dict) -> str | None:
        """Apply a view submission's ack; an error code when Slack could not."""
        store = self.workspace.api.view_store
        action = body.get("response_action")
        try:
            if not action:
                store.pop(user)
            elif action == "update":
                top = store.top(user)
                if top is not None:
                    store.update(top["id"], body.get("view"))
            elif action == "push":
                store.push(user, body.get("view"))
            elif action == "clear":
                store.clear(user)
            elif action != "errors":
                return "invalid_response_action"
        except ApiError as error:
            return error.code
        return None

    # ---- transport -------------------------------------------------------

    def _deliver(self, kind: str, payload: dict) -> Interaction:
        """Send to the app (Socket Mode or the events URL) and wait up to the timeout for the ack."""
        workspace = self.workspace
        started = time.monotonic()
        is_command = kind == "slash_command"
        if workspace.socket_mode:
            envelope_type = "slash_commands" if is_command else "interactive"
            ack = workspace.sockets.request(envelope_type, payload, self.timeout_s)
            elapsed = round(time.monotonic() - started, 3)
            if ack is None:
                interaction = Interaction(kind, 0, {}, elapsed, error="operation_timeout")
            else:
                interaction = Interaction(kind, 200, ack, elapsed)
        elif workspace.events_url is None:
            interaction = Interaction(kind, 0, {}, 0.0, error="dispatch_failed")
        else:
            form = payload if is_command else {"payload": json.dumps(payload, separators=(",", ":"))}
            answer = workspace.delivery.post_form(urlencode(form).encode(), self.timeout_s)
            elapsed = round(time.monotonic() - started, 3)
            interaction = Interaction(kind, answer.status, _parse(answer.body), elapsed)
            if answer.failure == "http_timeout" or elapsed > self.timeout_s:
                interaction.error = "operation_timeout"
            elif answer.failure:
                interaction.error = "dispatch_failed"
            elif not 200 <= answer.status < 300:
                interaction.error = "http_client_error" if answer.status < 500 else "http_service_error"
        interaction.payload = payload
        with self._lock:
            self._log.append(interaction)
        return interaction

    def _person(self, user: str) -> dict:
        person = self.workspace.state.user(user)
        if person is None:
            raise InteractionError(f"user_not_found: {user}")
        return person

    def _channel(self, channel: str) -> dict:
        channel_id = self.workspace.state.resolve_channel(channel)
        if channel_id is None:
            raise InteractionError(f"channel_not_found: {channel}")
        return self.workspace.state.channel(channel_id)


def _parse(body: bytes) -> dict:
    """An ack body: {} when empty, the JSON object, or plain text as Slack reads it (`{"text": …}`)."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        return {"text": text}
    return parsed if isinstance(parsed, dict) else {"text": text}


def _find(blocks: Any, action_id: str, where: str) -> tuple[dict, dict]:
    """The block and element with `action_id`; a person cannot press what is not shown."""
    found = [(block, element) for _, block, element in interactive_elements(blocks)]
    for block, element in found:
        if element.get("action_id") == action_id:
            return block, element
    shown = sorted(str(e.get("action_id")) for _, e in found)
    raise InteractionError(f"{where} shows no element with action_id {action_id!r} (it shows: {shown})")


def _action(block: dict, element: dict, value: str | None, selected_option: Any) -> dict:
    """One entry of block_actions' `actions`, as Slack describes what was pressed or chosen."""
    kind = element.get("type")
    action: dict = {"action_id": element["action_id"], "block_id": block_id_of(block), "type": kind}
    if kind == "button":
        if value is not None and value != element.get("value"):
            raise InteractionError(
                f"button {element['action_id']!r} carries {element.get('value')!r}, not {value!r}"
            )
        action["text"] = element.get("text")
        if "value" in element:
            action["value"] = element["value"]
        if "style" in element:
            action["style"] = element["style"]
    elif kind in CHOICE_ELEMENTS:
        wanted = selected_option if selected_option is not None else value
        if isinstance(wanted, dict):
            wanted = wanted.get("value")
        options = _options(element)
        option = next((o for o in options if o.get("value") == wanted), None)
        if option is None:
            values = [o.get("value") for o in options]
            raise InteractionError(
                f"{element['action_id']!r} offers no option {wanted!r} (it offers {values})"
            )
        action["selected_option"] = option
        if "placeholder" in element:
            action["placeholder"] = element["placeholder"]
    elif kind in TEXT_INPUTS:
        action["value"] = value
    else:
        raise InteractionError(f"the local workspace cannot act on a {kind!r} element")
    action["action_ts"] = payloads.now_ts()
    return action


def _options(element: dict) -> list[dict]:
    if "option_groups" in element and "options" not in element:
        return [o for group in element["option_groups"] for o in group.get("options", [])]
    return list(element.get("options") or [])


def _state_values(view: dict, values: dict) -> dict:
    """`state.values` for a submission: what was given, an input's initial value where nothing
    was given (the form shows it filled in), empty shapes for optional inputs left blank.

    Refused like Slack's client refuses: a value for an input the view does not
    have, or a required input left empty.
    """
    inputs = {
        block_id_of(block): block
        for block in view.get("blocks", [])
        if isinstance(block, dict) and block.get("type") == "input"
    }
    state: dict = {}
    for block_id, by_action in values.items():
        block = inputs.get(block_id)
        if block is None:
            raise InteractionError(
                f"view {view['id']} has no input block {block_id!r} (it has {sorted(inputs)})"
            )
        element = block.get("element", {})
        for action_id, shape in by_action.items():
            if action_id != element.get("action_id"):
                raise InteractionError(
                    f"input {block_id!r} holds {element.get('action_id')!r}, not {action_id!r}"
                )
            if not isinstance(shape, dict):
                raise InteractionError(
                    f"the value of {block_id}.{action_id} must be a dict like Slack's state"
                )
            if shape.get("type", element.get("type")) != element.get("type"):
                raise InteractionError(
                    f"input {block_id!r} is a {element.get('type')}, not a {shape.get('type')}"
                )
            state.setdefault(block_id, {})[action_id] = {"type": element.get("type"), **shape}
    for block_id, block in inputs.items():
        element = block.get("element", {})
        shape = state.get(block_id, {}).get(element.get("action_id"))
        if shape is None and _initial(element) is not None:  # the form shows it filled in: it is sent
            shape = state.setdefault(block_id, {})[element["action_id"]] = _initial(element)
        if shape is None or all(v in (None, "", []) for k, v in shape.items() if k != "type"):
            if not block.get("optional"):
                raise InteractionError(f"input {block_id!r} is required: Slack's client would not submit")
            if shape is None and element.get("action_id"):
                state.setdefault(block_id, {})[element["action_id"]] = _empty(element.get("type", ""))
    return state


def _initial(element: dict) -> dict | None:
    """What an input holds before anyone touches it (its initial value or option), as state."""
    kind = element.get("type", "")
    if "initial_option" in element:
        return {"type": kind, "selected_option": element["initial_option"]}
    if "initial_options" in element:
        return {"type": kind, "selected_options": element["initial_options"]}
    if "initial_value" in element:
        return {"type": kind, "value": element["initial_value"]}
    return None


_BLANK = {
    "static_select": ("selected_option", None),
    "external_select": ("selected_option", None),
    "radio_buttons": ("selected_option", None),
    "multi_static_select": ("selected_options", []),
    "multi_external_select": ("selected_options", []),
    "checkboxes": ("selected_options", []),
    "users_select": ("selected_user", None),
    "multi_users_select": ("selected_users", []),
    "conversations_select": ("selected_conversation", None),
    "multi_conversations_select": ("selected_conversations", []),
    "channels_select": ("selected_channel", None),
    "multi_channels_select": ("selected_channels", []),
    "datepicker": ("selected_date", None),
    "timepicker": ("selected_time", None),
    "datetimepicker": ("selected_date_time", None),
}


def _empty(kind: str) -> dict:
    """What Slack puts in state.values for an input left blank."""
    key, blank = _BLANK.get(kind, ("value", None))
    return {"type": kind, key: blank}

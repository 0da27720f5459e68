"""The offline default chat model: deterministic film-grammar reading that emits real tool calls.

It is a proper LangChain chat model (``bind_tools``, ``AIMessage.tool_calls``) so it runs
through the same agent loop as any hosted model; swapping providers changes nothing else.
It reads only the latest direction and the thread state line the director's system prompt
gives it; everything else in the conversation is data to it, never instructions.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool

from agents.prompts import THREAD_STATE_PATTERN
from config.presets import ASPECT_RATIOS
from memory.ledger.review import STATUS_WORDS
from tools.regions import find_region

_ASPECTS = [
    (r"2\.39(?::1)?|2\.40|scope|anamorphic|cinemascope", "2.39:1"),
    (r"1\.85(?::1)?|flat widescreen", "1.85:1"),
    (r"9:16|vertical|portrait|phone", "9:16"),
    (r"16:9|widescreen|hd\b", "16:9"),
    (r"4:3|academy|tv ratio", "4:3"),
    (r"1:1|square", "1:1"),
]
# Numbers are read as written (sign and every digit): the engine's validation refuses a value out
# of range and names the range, where a value dropped or changed here would go unnoticed.
_NUMBER = r"(?<![\w.])(-?\d+(?:\.\d+)?)(?!\w|\.\d)"
_INTEGER = r"(?<![\w.])(-?\d+)(?!\w|\.\d)"
_RATIO = re.compile(
    r"(?P<key>\b(?:aspect(?:\s+ratio)?|ratio|ar)\s*[:=]?\s*|--ar\s+)?(?<![\w.:])"
    r"(?P<w>\d+(?:\.\d+)?)\s*(?P<sep>[:x×/])\s*(?P<h>\d+(?:\.\d+)?)(?![\w:]|\.\d)",
    re.IGNORECASE,
)
_CLOCK_BEFORE = re.compile(r"\b(?:at|by|around|about|until|till|before|after|from|since)\s*$", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^\s*(?:[ap]\.?m\b|o'?clock\b|h\b|hrs?\b)", re.IGNORECASE)
_SEED = re.compile(r"\bseed\s*[:#=]?\s*(-?\d+)(?!\w|\.\d)", re.IGNORECASE)
_NEGATIVE = re.compile(r"(?:--no|\bnegative(?: prompt)?:)\s*(.+)$", re.IGNORECASE)
_NEW_SHOT = re.compile(r"^\s*(?:new|another|next|a fresh|fresh)\s+(?:shot|frame|take)\b", re.IGNORECASE)
_COUNT = re.compile(
    rf"{_INTEGER}\s+(?:[a-z]+\s+)?(?:variations?|versions?|options?|takes?|alternatives?)\b", re.IGNORECASE
)
_VARY = re.compile(r"\b(?:variations?|vary|re-?roll|alternatives?|more options)\b", re.IGNORECASE)
_UPSCALE = re.compile(r"\b(?:upscale|up-?res|hi-?res|higher res(?:olution)?)\b", re.IGNORECASE)
_FACTOR = re.compile(
    r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*[x×](?!\w)|(?<!\w)[x×]\s*(-?\d+(?:\.\d+)?)(?!\w|\.\d)"
    r"|\bby\s+(-?\d+(?:\.\d+)?)(?!\w|\.\d)",
    re.IGNORECASE,
)
_EXTEND = re.compile(r"\b(?:extend|outpaint|zoom(?:ed)? out|widen|pan out|uncrop|reframe)\b", re.IGNORECASE)
_USE_MODEL = re.compile(
    r"^\s*(?:please\s+)?(?:use|switch(?:\s+models?)?\s+to|change(?:\s+the)?\s+model\s+to)\s+(?:the\s+)?"
    r"(?:model\s+)?[\"'`]?(?P<name>[\w.:-]+)[\"'`]?(?:\s+model)?\s*[.!]?\s*$",
    re.IGNORECASE,
)
_CHARACTER = re.compile(
    r"^\s*(?:(?i:(?:new\s+)?character)\s*[:—-]?\s*|(?i:add)\s+(?=[A-Z][\w'’-]*\s+to\s+the\s+(?:cast|canon)))"
    r"(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s*"
    r"(?:to\s+the\s+(?:cast|canon)\s*[:,—-]?|[:,—-]|\bis\b)\s*(?P<desc>.+)$"
)
_PRONOUNS = re.compile(r"[,;]?\s*\(?\b(she/her|he/him|they/them)\b\)?", re.IGNORECASE)
_COSTUME = re.compile(
    r"[,;]?\s*\b(?:wears|wearing|dressed in|usually in|always in)\s+(?P<costume>[^.;]+)", re.IGNORECASE
)
_FACT = re.compile(
    r"^\s*(?:fact|(?:for\s+)?continuity|remember(?:\s+that)?|note(?:\s+for\s+continuity)?|established)"
    r"\s*[:—-]\s*(?P<fact>.+)$|^\s*(?:remember|note)\s+that\s+(?P<fact2>.+)$",
    re.IGNORECASE,
)
_WHERE = re.compile(r"\b(scene\s*\d+[a-z]?)\b", re.IGNORECASE)
_LOOK = re.compile(
    r"^\s*(?:(?:look|style)\s*:|(?:let'?s\s+)?(?:define|create|add|save)\s+a\s+(?:look|style)\s+(?:called|named))"
    r"\s*(?P<name>[^—:]+?)\s*[—:]\s*(?P<desc>.+)$",
    re.IGNORECASE,
)
_LOOK_NEGATIVE = re.compile(r"[,;]?\s*\b(?:no|avoid|never)\s+(?P<neg>[^.]+)$", re.IGNORECASE)
_REFERENCE_LOOK = re.compile(
    r"(?:refs?|references?|stills?)\s+for\s+(?:the\s+)?(?P<look>[^,.;]+?)\s+(?:look|style)\b", re.IGNORECASE
)
_REFERENCE = re.compile(
    r"(?i:this is|these are|references? (?:for|of)|refs? for|keep (?:this|these|it) (?:as|for)"
    r"(?:\s+(?:refs?|references?)\s+for)?)\s+(?i:the\s+)?"
    r"(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z0-9][\w'’-]*)*)|(?P<name2>[A-Z][\w'’-]*)\s+(?i:references?)\b"
)
_VERSION = re.compile(r"\bv(?:ersion\s*)?(\d{1,3})\b", re.IGNORECASE)


def _named_version(text: str) -> dict[str, int]:
    """ "upscale v5 2x" acts on v5, not on the thread's latest version."""
    found = _VERSION.search(text)
    return {"from_version": int(found.group(1))} if found else {}


_BACK_TO = re.compile(
    r"^\s*(?:go\s+)?back\s+to\s+v(?:ersion\s*)?(?P<number>\d+)\b[\s,;:]*(?:but\s+|and\s+)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"^\s*(?:(?:make|do)\s+it\s+(?:better|nicer|good|cooler|pop|work|again)|fix\s+it|the\s+other\s+one|"
    r"do\s+the\s+(?:thing|one)(?:\s+from\s+before)?|something\s+(?:cool|nice|good)|surprise\s+me|"
    r"you\s+know\s+what\s+i\s+mean|same\s+but\s+different|idk|whatever|\?+|"
    r"(?:use|go\s+with|try)\s+the\s+other\s+(?:one|version|take)|"
    r"like\s+the\s+one\s+(?:we|you)\s+did\s+(?:last\s+\w+|before|earlier|yesterday))\s*[.!?]*\s*$",
    re.IGNORECASE,
)
_OUT_OF_BOUNDS = re.compile(
    r"\b(?:approve|sign\s+off|mark\s+(?:it\s+)?(?:as\s+)?(?:approved|final))\b|"
    r"\b(?:delete|wipe|drop|erase)\s+(?:all|every|the)\s+(?:characters?|shots?|memory|canon|facts?|projects?)\b|"
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|your\s+|the\s+)?(?:previous|prior|above|earlier)\s+instructions\b|"
    r"\b(?:admin|developer|god|root)\s+mode\b|\bswitch\s+to\s+project\b|\bsystem\s+prompt\b",
    re.IGNORECASE,
)
_REVISION_WORDS = re.compile(
    r"^\s*(?:make\s+(?:it|her|him|them)|tighter|wider|closer|looser|again|more|less|change\s+(?:it|her|his))\b",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"^\s*(?:please\s+)?(?:cancel|stop|abort)(?:\s+(?:it|that|this|everything|all|the\s+(?:shot|job|render|generation)s?"
    r"|my\s+(?:shots?|jobs?|renders?)))?\s*[.!]?\s*$",
    re.IGNORECASE,
)
_STEPS = re.compile(rf"{_INTEGER}\s+steps\b|\bsteps\s*[:=]?\s*{_INTEGER}", re.IGNORECASE)
_GUIDANCE = re.compile(rf"\b(?:cfg|guidance)(?:\s+scale)?\s*[:=]?\s*{_NUMBER}", re.IGNORECASE)
_SAMPLER = re.compile(r"\b(?:sampler|scheduler)\s*[:=]?\s*([a-z0-9_+]+)\b", re.IGNORECASE)
_KEPT_BY_REVISIONS = ((_SEED, "seed"), (_STEPS, "steps"), (_GUIDANCE, "guidance"), (_SAMPLER, "sampler"))
_REPAINT = re.compile(r"\b(?:repaint|replace|inpaint|change|make|put|add|turn|fill)\b", re.IGNORECASE)


_HELP = re.compile(
    r"^\s*(?:please\s+)?(?:help|what\s+can\s+(?:you|slate)\s+do|what\s+do\s+you\s+do|how\s+does\s+(?:this|slate)\s+work|"
    r"how\s+do\s+i\s+use\s+(?:you|this|slate)|commands|usage)\b[\s?!.]*(?:me)?[\s?!.]*$",
    re.IGNORECASE,
)
_LIST_SHOTS = re.compile(
    r"^\s*(?:please\s+|can\s+you\s+)?(?:list|show(?:\s+me)?|which|what\s+are|find|give\s+me)\s+(?:all\s+)?"
    r"(?:of\s+)?(?:the\s+|my\s+|our\s+)?(?:(?:pending|approved|final|omitted|rejected)\s+)?shots\b",
    re.IGNORECASE,
)
_SHOT_HISTORY = re.compile(
    r"\b(?:history|versions?|statuses)\s+(?:of|for|on)\s+shot\s*#?(\d+)\b|\bshot\s*#?(\d+)(?:'s)?\s+(?:history|versions)\b",
    re.IGNORECASE,
)
_WITH_CHARACTER = re.compile(r"\b(?:with|of|featuring|showing|for)\s+(?P<name>[A-Z][\w'-]+)")
_COMPARE = re.compile(r"\bcompare\b(?P<rest>.*)$", re.IGNORECASE)
_EXPORT = re.compile(r"^\s*(?:please\s+)?export\b", re.IGNORECASE)


def _question(text: str) -> AIMessage | None:
    """Questions and commands about the project: answered, never turned into a shot."""
    if _HELP.match(text):
        return _call("explain_slate", {})
    history = _SHOT_HISTORY.search(text)
    if history:
        return _call("find_shots", {"shot": int(history.group(1) or history.group(2))})
    if _LIST_SHOTS.match(text):
        arguments: dict[str, Any] = {}
        status = next((s for w, s in STATUS_WORDS.items() if re.search(rf"\b{w}\b", text, re.I)), None)
        if status:
            arguments["status"] = status
        character = _WITH_CHARACTER.search(text)
        if character:
            arguments["character"] = character.group("name")
        return _call("find_shots", arguments)
    compare = _COMPARE.search(text)
    if compare:
        numbers = [int(n) for n in re.findall(r"\bv(?:ersion\s*)?(\d{1,3})\b", compare.group("rest"), re.I)]
        if len(numbers) >= 2:
            return _call("compare_versions", {"versions": numbers[:4]})
    if _EXPORT.match(text):
        return AIMessage(
            content="Exports to editorial (OTIO, EDL, storyboard PDF) are not built yet. "
            "`/slate shots approved` lists the approved shots meanwhile."
        )
    return None


class UnknownAspect(ValueError):
    """A ratio written out that no frame preset matches; the message names the presets."""


def read_aspect(text: str) -> str | None:
    """The preset a direction names, as a ratio ("16:9", "aspect 2.39:1") or a word ("scope").

    A ratio written out that is no preset ("1000:1", "21:9") raises ``UnknownAspect``: the tools
    take only presets, and framing it as something else without a word would be wrong.
    """
    for match in _RATIO.finditer(text):
        if not match.group("key") and (match.group("sep") != ":" or _is_clock(text, match)):
            continue  # "3/4 profile", "1920x1080 plate" and "at 5:30" are not asked-for aspects
        written = f"{match.group('w')}:{match.group('h')}"
        width, height = float(match.group("w")), float(match.group("h"))
        for name, ratio in ASPECT_RATIOS.items():
            if width > 0 and height > 0 and abs(width / height / ratio - 1) < 0.005:
                return name
        raise UnknownAspect(
            f"{written} isn't an aspect ratio I can frame: use one of {', '.join(ASPECT_RATIOS)}."
        )
    for pattern, aspect in _ASPECTS:
        if re.search(pattern, text, re.IGNORECASE):
            return aspect
    return None


def _is_clock(text: str, match: re.Match[str]) -> bool:
    """A time of day ("at 5:30", "10:05", "6:45 pm"), not a frame."""
    return bool(
        _CLOCK_BEFORE.search(text[: match.start()])
        or _CLOCK_AFTER.match(text[match.end() :])
        or re.fullmatch(r"0\d", match.group("h"))
    )


class FilmGrammarModel(BaseChatModel):
    """Turns a director's sentence into ``generate_shot`` or ``revise_shot`` calls."""

    tool_names: tuple[str, ...] = ()

    @property
    def _llm_type(self) -> str:
        return "slate-film-grammar"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Runnable:
        names = tuple(convert_to_openai_tool(t)["function"]["name"] for t in tools)
        return self.model_copy(update={"tool_names": names})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last = messages[-1]
        if isinstance(last, ToolMessage):
            reply = AIMessage(content=self._summarise(messages))
        else:
            reply = self._decide(self._thread_state(messages), _text(last))
        return ChatResult(generations=[ChatGeneration(message=reply)])

    @staticmethod
    def _thread_state(messages: list[BaseMessage]) -> dict[str, str]:
        for message in messages:
            if isinstance(message, SystemMessage):
                match = THREAD_STATE_PATTERN.search(_text(message))
                if match:
                    return {key: value for key, value in match.groupdict().items() if value}
        return {}

    def _decide(self, state: dict[str, str], text: str) -> AIMessage:
        if not text.strip():
            return AIMessage(
                content="What should the shot show? For example: "
                "“wide shot, Maya walks into the throne room at dusk, 2.39:1”."
            )
        question = _question(text)
        if question is not None:
            return question
        if _OUT_OF_BOUNDS.search(text):
            return AIMessage(
                content="I can't do that: approving shots is a person's decision in review, and I only "
                "generate and keep this channel's canon. Tell me what the shot should show instead."
            )
        if _VAGUE.match(text):
            return AIMessage(
                content="What should change? Name one thing — framing, light, a character, the mood."
            )
        if _CANCEL.match(text):
            return _call("cancel_shots", {})
        model = _USE_MODEL.match(text)
        if model:
            return _call("use_model", {"model": model.group("name")})
        canon = self._canon(state, text.strip())
        if canon is not None:
            return canon
        try:
            if (state.get("shot") or state.get("pending")) and not _NEW_SHOT.match(text):
                return self._revision(text.strip())
            if _REVISION_WORDS.match(text):
                return AIMessage(
                    content="This thread has no shot yet to change. Describe the frame you want first."
                )
            return _call("generate_shot", self._shot_arguments(text))
        except UnknownAspect as refusal:  # no tool argument can carry it: say so, call nothing
            return AIMessage(content=str(refusal))

    @staticmethod
    def _canon(state: dict[str, str], text: str) -> AIMessage | None:
        """Directions that keep the canon rather than make a shot.

        A character's definition comes first: stills attached to it are kept by
        ``register_character`` itself, even when its description says "this is …".
        """
        character = _CHARACTER.match(text)
        look_reference, reference = _REFERENCE_LOOK.search(text), _REFERENCE.search(text)
        if not character and (look_reference or reference) and int(state.get("attachments", "0")):
            if look_reference:
                return _call("add_reference", {"owner": look_reference.group("look").strip()})
            owner = reference.group("name") or reference.group("name2")  # type: ignore[union-attr]
            return _call("add_reference", {"owner": owner.strip()})
        if character:
            description = character.group("desc")
            arguments: dict[str, Any] = {"name": character.group("name")}
            if pronouns := _PRONOUNS.search(description):
                arguments["pronouns"] = pronouns.group(1).lower()
                description = _PRONOUNS.sub("", description)
            if costume := _COSTUME.search(description):
                arguments["costume"] = costume.group("costume").strip()
                description = description[: costume.start()]
            return _call("register_character", {**arguments, "description": description.strip(" ,.;")})
        look = _LOOK.match(text)
        if look:
            description, arguments = look.group("desc"), {"name": look.group("name").strip()}
            if negative := _LOOK_NEGATIVE.search(description):
                arguments["negative"] = negative.group("neg").strip()
                description = description[: negative.start()]
            return _call("add_look", {**arguments, "description": description.strip(" ,.;")})
        fact = _FACT.match(text)
        if fact:
            text = (fact.group("fact") or fact.group("fact2")).strip()
            where = _WHERE.search(text)
            return _call("record_fact", {"text": text, "established_in": where.group(1) if where else ""})
        return None

    def _revision(self, text: str) -> AIMessage:
        """A direction in a thread that has a shot: which of the revision tools it asks for."""
        fixed = [name for pattern, name in _KEPT_BY_REVISIONS if pattern.search(text)]
        if fixed:  # the revision tools carry none of these: answer rather than drop them
            return AIMessage(
                content=f"A revision keeps this shot's {', '.join(fixed)}, so I can't set "
                f"{'it' if len(fixed) == 1 else 'them'} here. For a fresh take with "
                f"{'it' if len(fixed) == 1 else 'them'}, start the message with “new shot, …”."
            )
        back = _BACK_TO.match(text)
        if back:
            change = back.group("rest").strip() or f"as v{back.group('number')}"
            return _call("revise_shot", {"change": change, "from_version": int(back.group("number"))})
        version = _named_version(text)
        if _VARY.search(text):
            how = "reroll" if re.search(r"re-?roll|new seeds?", text, re.IGNORECASE) else "subtle"
            how = "strong" if re.search(r"\bstrong(?:ly)?\b|\bvery different\b", text, re.IGNORECASE) else how
            count = _count(text)
            return _call("vary_shot", {"how": how, "count": 4 if count is None else count, **version})
        if _UPSCALE.search(text):
            factor = _FACTOR.search(text)
            written = next((g for g in factor.groups() if g is not None), None) if factor else None
            return _call("upscale_shot", {"factor": 2.0 if written is None else float(written), **version})
        if _EXTEND.search(text):
            aspect = read_aspect(text)
            if aspect is None:
                return AIMessage(
                    content="Extend to which aspect ratio: 2.39:1, 1.85:1, 16:9, 9:16, 1:1 or 4:3?"
                )
            return _call("extend_frame", {"aspect_ratio": aspect})
        region = find_region(text)
        if region and _REPAINT.search(text):
            return _call("repaint_region", {"region": region[1], "change": text})
        return _call("revise_shot", {"change": text})

    @staticmethod
    def _shot_arguments(text: str) -> dict[str, Any]:
        arguments: dict[str, Any] = {}
        negative = _NEGATIVE.search(text)
        if negative:
            arguments["negative_prompt"] = negative.group(1).strip()
            text = text[: negative.start()]
        seed = _SEED.search(text)
        if seed:
            arguments["seed"] = int(seed.group(1))
            text = _SEED.sub("", text)
        aspect = read_aspect(text)
        if aspect:
            arguments["aspect_ratio"] = aspect
        count = _count(text)
        if count is not None:
            arguments["count"] = count
        for pattern, key, kind in (
            (_STEPS, "steps", int),
            (_GUIDANCE, "guidance", float),
            (_SAMPLER, "sampler", str),
        ):
            match = pattern.search(text)
            if match:
                arguments[key] = kind(next(g for g in match.groups() if g is not None))
                text = text[: match.start()] + text[match.end() :]
        description = _NEW_SHOT.sub("", text)
        description = re.sub(r"\s*,(?:\s*,)+", ",", re.sub(r"\s+", " ", description))
        arguments["description"] = description.strip(" ,.;:") or text.strip()
        return {"description": arguments.pop("description"), **arguments}

    @staticmethod
    def _summarise(messages: list[BaseMessage]) -> str:
        results: list[str] = []
        for message in reversed(messages):
            if isinstance(message, HumanMessage):
                break
            if isinstance(message, ToolMessage):
                results.append(_text(message))
        return " ".join(reversed(results))


_NUMBER_WORDS = {
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
}
_COUNT_WORDS = re.compile(
    rf"\b({'|'.join(_NUMBER_WORDS)})\s+(?:[a-z]+\s+)?(?:variations?|versions?|options?|takes?|alternatives?)\b",
    re.IGNORECASE,
)


def _count(text: str) -> int | None:
    if match := _COUNT.search(text):
        return int(match.group(1))
    if match := _COUNT_WORDS.search(text):
        return _NUMBER_WORDS[match.group(1).lower()]
    return None


def _call(name: str, arguments: dict[str, Any]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": arguments, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
        ],
    )


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)

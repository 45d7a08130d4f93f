"""Distill with a model: the dialogue goes to a chat model that may call `search_medicine_database`
once per medicine asked about; each call is validated, repaired when the fix is unambiguous, and
resolved against the database. No valid call: the rule distiller answers instead.

The rule distiller also runs on every turn (it costs a millisecond): the lexicon, not the model, decides
which named drugs are missing from the database, so "not in the database" is said exactly as on the
rule path, and the fallback queries are ready when needed.

Well-formedness (the instruction-following rate): a call is well-formed when its arguments parse as a
JSON object whose `medicine`, `attribute` and `keywords` are strings, the attribute is in the vocabulary
and the medicine resolves to a database entry. A repaired call is used but does not count as well-formed.
The turn is well-formed when the model made at least one call and every call was well-formed.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Any

from app.config import DistillSettings
from app.llm.protocol import ChatModel
from app.llm.types import ChatResult, Message, Tool, ToolCall, ToolChoice
from app.pipeline.attributes import classify_attribute
from app.pipeline.context import SAID, ConversationContext, build_context, merge_records
from app.pipeline.distill import RuleDistiller, answer_small_talk
from app.pipeline.intent import IntentClassifier
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, SearchQuery, Turn, TurnState
from app.records.model import PatientContext
from indexing.schema import ATTRIBUTE_LABELS, ATTRIBUTES, Attribute
from indexing.store import SearchIndex

SEARCH_TOOL_NAME = "search_medicine_database"

SEARCH_TOOL: Tool = {
    "type": "function",
    "function": {
        "name": SEARCH_TOOL_NAME,
        "description": (
            "Search the database of drug labels for one medicine and one label section. Call it once per "
            "medicine the patient asks about (for two medicines taken together, once for each)."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "medicine": {"type": "string", "description": "the medicine's name, generic or brand"},
                "attribute": {
                    "type": "string",
                    "enum": list(ATTRIBUTES),
                    "description": "the label section that answers the question",
                },
                "keywords": {"type": "string", "description": "a few search-engine keywords, not a sentence"},
            },
            "required": ["medicine", "attribute", "keywords"],
        },
    },
}

SYSTEM_PROMPT = (
    "You turn a medication consultation into search-engine queries over a database of drug labels. "
    f"Call {SEARCH_TOOL_NAME} once for each medicine the patient's latest question is about; a question "
    "about taking two medicines together needs one call for each. Use the conversation to work out what "
    "'it' or 'this medicine' refers to. For each call give the medicine's name, the label section "
    "(attribute) and a few keywords. Never answer the question and write nothing but the tool calls.\n"
    'Example: "Can I take ibuprofen while pregnant?" -> '
    f'{SEARCH_TOOL_NAME}({{"medicine": "ibuprofen", "attribute": "pregnancy", "keywords": "ibuprofen pregnancy"}})'
)

_MAX_TURNS = 8
_MAX_ASSISTANT_CHARS = 400
_FIELD_ALIASES = {
    "medicine": ("medicine", "medication", "drug", "drug_name", "medicine_name", "name"),
    "attribute": ("attribute", "section", "topic", "category", "aspect"),
    "keywords": ("keywords", "keyword", "query", "search", "terms", "search_query"),
}
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass
class CallCheck:
    """What validation made of one tool call."""

    name: str
    arguments: str
    query: SearchQuery | None = None
    well_formed: bool = False
    repairs: list[str] = field(default_factory=list)
    dropped: str | None = None  # why the call was not used

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "arguments": self.arguments[:300],
            "well_formed": self.well_formed,
            "repairs": self.repairs,
            "dropped": self.dropped,
            "query": self.query.to_dict() if self.query else None,
        }


def parse_arguments(text: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The arguments object and the repairs it needed: code fences, trailing commas, single quotes or
    Python literals, a missing closing brace, arguments encoded twice."""
    stripped = text.strip()
    try:
        value: Any = json.loads(stripped)
        if isinstance(value, dict):
            return value, []
        if isinstance(value, str):
            inner, repairs = parse_arguments(value)
            return inner, ["arguments encoded twice", *repairs] if inner is not None else repairs
        return None, []
    except json.JSONDecodeError:
        pass
    candidate = _FENCE.sub("", stripped)
    start = candidate.find("{")
    if start == -1:
        return None, []
    candidate = candidate[start:]
    end = candidate.rfind("}")
    attempts = [candidate[: end + 1]] if end != -1 else []
    attempts += [candidate + "}", candidate + '"}']
    for attempt in attempts:
        attempt = _TRAILING_COMMA.sub(r"\1", attempt)
        for load in (json.loads, ast.literal_eval):
            try:
                value = load(attempt)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
            if isinstance(value, dict):
                return value, ["malformed JSON repaired"]
    return None, []


def _field(args: dict[str, Any], key: str, repairs: list[str]) -> Any:
    for alias in _FIELD_ALIASES[key]:
        if alias in args:
            if alias != key:
                repairs.append(f"{alias!r} read as {key!r}")
            return args[alias]
    return None


def _single_string(value: Any, key: str, repairs: list[str]) -> str | None:
    """A string, or a list holding exactly one string (repaired); anything else is not usable."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        repairs.append(f"{key} given as a one-item list")
        return value[0]
    return None


_LABEL_TO_ATTRIBUTE = {label: attr for attr, label in ATTRIBUTE_LABELS.items()}


def repair_attribute(value: str) -> Attribute | None:
    """'side effects' -> adverse_reactions, 'Drug Interactions' -> interactions; None when unclear."""
    try:
        return Attribute.from_str(value)
    except ValueError:
        pass
    text = value.strip().lower().replace("_", " ")
    if text in _LABEL_TO_ATTRIBUTE:
        return _LABEL_TO_ATTRIBUTE[text]
    return classify_attribute(text).attribute


class CallValidator:
    """Checks tool calls against the schema and the database (see the module docstring)."""

    def __init__(self, lexicon: MedicineLexicon, question: str, mentioned: set[str] | None,
                 prior_top: str | None = None) -> None:
        self.lexicon = lexicon
        self.question = question
        self.mentioned = mentioned  # medicine ids the dialogue (or the patient's list) names; None: any
        self.prior_top = prior_top  # the intent prior's first section: a call without a section gets it

    def check(self, call: ToolCall) -> CallCheck:
        result = CallCheck(call.name, call.arguments)
        repairs = result.repairs
        if call.name != SEARCH_TOOL_NAME:
            if call.name.strip().lower().replace("-", "_").replace(" ", "_") != SEARCH_TOOL_NAME:
                return self._drop(result, f"unknown tool {call.name!r}")
            repairs.append("tool name normalised")
        args, arg_repairs = parse_arguments(call.arguments)
        repairs += arg_repairs
        if args is None:
            return self._drop(result, "arguments are not a JSON object")

        medicine = _single_string(_field(args, "medicine", repairs), "medicine", repairs)
        if medicine is None or not medicine.strip():
            return self._drop(result, "medicine is missing or not a string")
        medicine_id = self.lexicon.resolve(medicine)
        if medicine_id is None:
            return self._drop(result, f"medicine {medicine!r} is not in the database")

        attribute, attr_problem = self._attribute(_field(args, "attribute", repairs), repairs)
        if attr_problem:
            return self._drop(result, attr_problem)

        raw_keywords = _field(args, "keywords", repairs)
        if isinstance(raw_keywords, list) and all(isinstance(k, str) for k in raw_keywords):
            repairs.append("keywords given as a list")
            raw_keywords = " ".join(raw_keywords)
        if raw_keywords is not None and not isinstance(raw_keywords, str):
            return self._drop(result, "keywords is not a string")
        keywords = (raw_keywords or "").strip()
        if not keywords:
            repairs.append("keywords missing; built from the medicine and section")
            name = self.lexicon.names.get(medicine_id, medicine)
            keywords = " ".join(p for p in (name, attribute.label if attribute else "") if p)

        result.query = SearchQuery(medicine_id, attribute.value if attribute else None, keywords)
        result.well_formed = not repairs
        if self.mentioned is not None and medicine_id not in self.mentioned:
            result.query = None
            result.dropped = f"{medicine_id} is not mentioned in the conversation"
        return result

    def _attribute(self, value: Any, repairs: list[str]) -> tuple[Attribute | None, str | None]:
        if value is None or (isinstance(value, str) and not value.strip()):
            guess = Attribute(self.prior_top) if self.prior_top else classify_attribute(self.question).attribute
            repairs.append("attribute missing; taken from the question" if guess else "attribute missing")
            return guess, None
        text = _single_string(value, "attribute", repairs)
        if text is None:
            return None, "attribute is not a string"
        if text in ATTRIBUTES:
            return Attribute(text), None
        repaired = repair_attribute(text)
        if repaired is None:
            return None, f"unknown attribute {text!r}"
        repairs.append(f"attribute {text!r} read as {repaired.value!r}")
        return repaired, None

    @staticmethod
    def _drop(result: CallCheck, why: str) -> CallCheck:
        result.dropped = why
        result.query = None
        return result


def render_dialogue(dialogue: list[Turn]) -> str:
    lines = []
    for turn in dialogue[-_MAX_TURNS:-1]:
        who = "Patient" if turn.role == "user" else "Assistant"
        text = turn.content if turn.role == "user" else turn.content[:_MAX_ASSISTANT_CHARS]
        lines.append(f"{who}: {text}")
    lines.append(f"Patient (latest question): {dialogue[-1].content}")
    return "\n".join(lines)


# Sections of the intent prior shown to the model, and the least probability shown.
_PRIOR_SHOWN = 3
_PRIOR_MIN = 0.2


def distill_messages(
    dialogue: list[Turn], patient: PatientContext | None = None, context: ConversationContext | None = None,
    intent: tuple[tuple[str, float], ...] = (),
) -> list[Message]:
    user = "Conversation:\n" + render_dialogue(dialogue)
    if patient is not None and patient.current_medications:
        # Data from the record, so "my blood thinner" can be resolved; not instructions.
        user += "\n\nThe patient's current medications (from their records): " + ", ".join(
            patient.current_medications
        )
    said = [m for m in context.latest(context.question_turn)  # the records are given as the patient's list
            if m.medicine_id and m.source == SAID] if context is not None else []
    if said:
        # What the user's own turns say of each medicine (whose, new or taken for long): data, not instructions.
        user += "\n\nMedicines the user mentioned before the question: " + "; ".join(
            f"{m.surface} ({m.owner.value}, {m.status.value.replace('_', ' ')})" for m in said
        )
    likely = [(a, p) for a, p in intent[:_PRIOR_SHOWN] if p >= _PRIOR_MIN]
    if likely:
        # The section prior the rule distiller uses (app.pipeline.intent): a hint for the attribute.
        user += "\n\nLabel sections the latest question most likely asks about (a classifier's estimate): " + \
            ", ".join(f"{a} ({p:.2f})" for a, p in likely)
    user += f"\n\nCall {SEARCH_TOOL_NAME} for the latest question. Do not answer it."
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def mentioned_medicines(
    dialogue: list[Turn], lexicon: MedicineLexicon, patient: PatientContext | None
) -> set[str]:
    # The user's turns only: a medicine the service's own answer named is not one the user asked about.
    ids = {m.medicine_id for t in dialogue if t.role == "user" for m in lexicon.find(t.content) if m.medicine_id}
    if patient is not None:
        ids |= {mid for name in patient.current_medications if (mid := lexicon.resolve(name))}
    return ids


def second_asks(queries: list[SearchQuery], asks: list[str]) -> list[SearchQuery]:
    """A question asking two things ("can I take it for back pain and how much?"): each medicine the model
    queried for the prior's first section is queried for its second too, as the rule distiller does."""
    if len(asks) < 2:
        return queries
    have = {(q.medicine, q.attribute) for q in queries}
    extra = [SearchQuery(q.medicine, asks[1], q.keywords) for q in queries
             if q.medicine and q.attribute == asks[0] and (q.medicine, asks[1]) not in have]
    return queries + list({(q.medicine, q.attribute): q for q in extra}.values())


# A question that may mean a medicine without naming it: "with my blood thinner", "can I take it".
_REFERS_TO_A_MEDICINE = re.compile(r"\b(?:my|his|her|their|our|your|it|its|this|that|these|those|them)\b",
                                   re.IGNORECASE)


class LLMDistiller:
    """The distill stage backed by a chat model's tool calls, with the rule distiller as fallback."""

    name = "distill"

    def __init__(
        self,
        model: ChatModel,
        config: DistillSettings | None = None,
        require_mention: bool = True,
        intent: IntentClassifier | None = None,
    ) -> None:
        config = config or DistillSettings(backend="llm")
        self.model = model
        self.tool_choice: ToolChoice = config.tool_choice
        self.max_calls = config.max_calls
        self.max_tokens = config.max_tokens
        # A call for a medicine nobody mentioned is the model's invention: it is not searched.
        self.require_mention = require_mention
        # The section prior, as the rule distiller has it (the trained model when the factory gives one).
        self.intent = intent or IntentClassifier()

    def to_dict(self) -> dict[str, Any]:
        return {"backend": "llm", "model": self.model.model, "model_backend": self.model.backend,
                "tool_choice": self.tool_choice, "max_calls": self.max_calls, "intent": self.intent.to_dict()}

    def run(self, state: TurnState) -> None:
        state.conversation = merge_records(build_context(state.dialogue, state.lexicon), state.patient, state.lexicon)
        if answer_small_talk(state):  # "thanks!" asks the model nothing, as on the rule path
            return
        state.distilled = self.distill(state.dialogue, state.lexicon, state.patient, state.conversation, state.index)

    def distill(
        self,
        dialogue: list[Turn],
        lexicon: MedicineLexicon,
        patient: PatientContext | None = None,
        context: ConversationContext | None = None,
        index: SearchIndex | None = None,
    ) -> Distillation:
        context = context if context is not None else build_context(dialogue, lexicon)
        rules = RuleDistiller(intent=self.intent).distill(dialogue, lexicon, context, index)
        if rules.clarify:
            return rules  # the conversation fits two medicines equally: ask back rather than let a model guess
        if any(q.medicine and q.medicine not in lexicon.names for q in rules.queries):
            # a product the database lacks beside the user's own medicine: what that label may say of it is
            # decided by the label's words (app.pipeline.distill), not by a model's search
            return rules
        if rules.unknown_drugs and not any(q.medicine for q in rules.queries) and (
                rules.audit.get("own_withheld") or not _REFERS_TO_A_MEDICINE.search(dialogue[-1].content)):
            # "What is fish oil?": the asked product is not in the database and the question refers to no
            # medicine of the conversation or the records; "Is fish oil safe with my atorvastatin?" whose label
            # is silent about it: the rules left the own medicine out on purpose. A model's search would answer
            # from a label of something else (the patient's statin, an omega-3 prescription product).
            return rules
        asks: list[str] = list((rules.audit.get("intent") or {}).get("asks", []))
        reply = self.model.chat(
            distill_messages(dialogue, patient, context, rules.intent),
            tools=[SEARCH_TOOL],
            tool_choice=self.tool_choice,
            max_tokens=self.max_tokens,
            temperature=0.0,
        )
        mentioned = mentioned_medicines(dialogue, lexicon, patient) if self.require_mention else None
        validator = CallValidator(lexicon, dialogue[-1].content, mentioned, asks[0] if asks else None)
        checks = [validator.check(call) for call in reply.tool_calls]
        queries = self._queries(checks)
        return Distillation(
            queries=second_asks(queries, asks) or rules.queries,
            unknown_drugs=rules.unknown_drugs,
            backend="llm",
            audit=self._audit(reply, checks, bool(queries), rules) | {"intent": rules.audit.get("intent")},
            intent=rules.intent,  # the reader ranks sentences with it, as after the rule distiller
            indication_search="" if queries else rules.indication_search,
            answering=rules.answering,  # a reply to a question back answers the pending question
        )

    def _queries(self, checks: list[CallCheck]) -> list[SearchQuery]:
        queries: list[SearchQuery] = []
        seen: set[tuple[str | None, str | None]] = set()
        for check in checks:
            if check.query is None:
                continue
            key = (check.query.medicine, check.query.attribute)
            if key in seen:
                check.dropped, check.query = "duplicate of an earlier call", None
            elif len(queries) >= self.max_calls:
                check.dropped, check.query = f"more than {self.max_calls} calls", None
            else:
                seen.add(key)
                queries.append(check.query)
        return queries

    def _audit(
        self, reply: ChatResult, checks: list[CallCheck], used_model: bool, rules: Distillation
    ) -> dict[str, Any]:
        well_formed = sum(c.well_formed for c in checks)
        audit: dict[str, Any] = {
            "model": reply.model or self.model.model,
            "model_backend": self.model.backend,
            "call": reply.audit(),
            "calls": [c.to_dict() for c in checks],
            "calls_total": len(checks),
            "calls_well_formed": well_formed,
            "calls_used": sum(c.query is not None for c in checks),
            "well_formed_rate": round(well_formed / len(checks), 4) if checks else 0.0,
            "well_formed": bool(checks) and well_formed == len(checks),
            "queries_from": "model" if used_model else "rules",
            "fallback": None if used_model else "rules",
        }
        if reply.content.strip():
            audit["reply_text"] = reply.content.strip()[:300]
        if not used_model:
            audit["rules"] = rules.audit
        return audit

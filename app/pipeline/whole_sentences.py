"""What makes a quotable label sentence whole and meaningful alone (issue 18), for `app.pipeline.compose`:

- `leans_back`: a sentence that says nothing without the one before it ("These could be signs of a serious
  condition.", "This may occur at any time.", "Symptoms may include: ...", "Discontinue and evaluate
  clinically."); `join_leaning` quotes it together with that sentence, or not at all;
- `split_list_tail`: the sentence a flattened bullet list's last item runs into ("• blisters • rash If a skin
  reaction occurs, stop use ..."; "• ... this product Allergy alert: Acetaminophen may cause ...");
- `verbless_list`: a list flattened without bullets or commas, its items meeting capital to lower case
  ("Angioedema or a history of angioedema Hypersensitivity Co-administration of aliskiren ...") as a short list;
- `strip_caps_section`: an ALL-CAPS section heading left before a sentence ("1.INDICATIONS & USAGE SECTION",
  "16 HOW SUPPLIED/STORAGE AND HANDLING");
- `same_text`: the key under which two quotes are the same sentence (never quoted twice in one answer).
"""

from __future__ import annotations

import re

# A pronoun and its verb: the subject is in the sentence before ("These could be ...", "This may ...").
# "It" stays out: "It is not known whether ..." stands alone.
_PRONOUN_START = re.compile(
    r"^(?:These|Those|They|This) (?:may|might|can|could|should|will|would|is|are|was|were|has|have|had|includes?"
    r"|results?|occurs?|means?|suggests?|indicates?|led|leads?)\b"
    r"|^(?:(?:Early|Initial|Other|Common|Possible) )?(?:[Ss]ymptoms|[Ss]igns)(?: and (?:symptoms|signs))? (?:may )?"
    r"include\b"
    # "Stomach bleeding warning: ... may cause severe stomach bleeding. The chance is higher if you: ..."
    r"|^The chance (?:of this )?is (?:higher|greater)\b"
    # "These 3066 patients exposed ...": the trials are described in the sentence before
    r"|^(?:These|Those) \d[\d,]* (?:patients|subjects|adults|children|participants)\b"
)
# An instruction with neither object nor condition: "Discontinue and evaluate clinically.", "Stop treatment."
_BARE_INSTRUCTION = re.compile(
    r"^(?:Discontinue|Stop|Withhold|Interrupt)(?: (?:promptly|immediately|use|treatment|therapy))?"
    r"(?: and [a-z]+(?: [a-z]+){0,3})?\.$"
)

MAX_JOINED = 420  # compose.MAX_SENTENCE: a joined pair longer than that is not quoted
# A sentence this short that ends "in these cases" says only what to do about the one before.
_SHORT_LEANING = 120


# What it refers to is in the sentence before: "Discontinue pregabalin immediately in these cases."
# ... or the agents it named: "Administer levothyroxine at least 4 hours apart from these agents."
_THESE_END = re.compile(r"\b(?:in|for|of) (?:these|those|such) (?:cases|patients|situations|circumstances)\.$|"
                        r"\b(?:from|of|with|before|after) (?:these|those|such) (?:agents|drugs|medications|medicines|"
                        r"products)\.$")


def leans_back(sentence: str) -> bool:
    """Whether a sentence needs the one before it to be understood."""
    return bool(_PRONOUN_START.match(sentence) or _BARE_INSTRUCTION.match(sentence)
                or (len(sentence) < _SHORT_LEANING and _THESE_END.search(sentence)))


def join_leaning(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(source sentence number, piece) in order: a piece that leans back is joined to the piece before it when
    that one is its source's neighbour (the same or the previous sentence) and the two are short enough to
    quote; otherwise it is left out."""
    out: list[tuple[int, str]] = []
    previous_source = -2
    for source, piece in pieces:
        if leans_back(piece):
            if out and source - previous_source <= 1 and len(out[-1][1]) + 1 + len(piece) <= MAX_JOINED:
                out[-1] = (out[-1][0], f"{out[-1][1]} {piece}")
                previous_source = source
            continue  # its antecedent is not here: not quoted
        out.append((source, piece))
        previous_source = source
    return out


_HEADING_GLUE = frozenset({"of", "to", "at", "for", "and", "with", "in", "or", "the", "a", "an", "by", "on", "from",
                           "than", "as", "per", "&"})
_STARTERS = ("If", "These", "This", "They", "Do not", "Ask", "Stop", "Keep", "When", "Symptoms", "Seek", "Get",
             "Call", "Discontinue", "Avoid", "Use", "Take", "Tell", "In case")
# After the last bullet: a sentence opener after a lower-case word ("rash If a skin ..."), or a short heading with
# a colon before a capitalised word ("this product Allergy alert: Acetaminophen ...").
_TAIL_START = re.compile(r"(?<=[a-z0-9%)\]]) (?=(?:" + "|".join(_STARTERS) + r") [a-z]|[A-Z][a-z]+(?: [a-z]+){0,2}: "
                         r"[A-Z][a-z])")
_BULLETS = "•●▪■◦"


def split_list_tail(sentence: str) -> tuple[str, str]:
    """('... • blisters • rash', 'If a skin reaction occurs, stop use ...') for a list whose last item runs into
    the next sentence; (sentence, '') otherwise."""
    last = max(sentence.rfind(b) for b in _BULLETS)
    if last < 0:
        return sentence, ""
    for match in _TAIL_START.finditer(sentence, last + 1):
        # the item ends in a lower-case word: "• Metabolic Changes: Atypical ..." is an item's own heading
        before = sentence[:match.start()].rsplit(" ", 1)[-1]
        if before[:1].islower() and before not in _HEADING_GLUE:  # "• Leukopenia and Agranulocytosis: Has been"
            return sentence[: match.start()].rstrip(), sentence[match.end():].strip()
    return sentence, ""


# A finite verb (or a participle: conservative), so the text is prose, not a list of conditions.
_VERB = re.compile(r"\b(?:is|are|was|were|be|been|may|might|can|could|should|must|will|would|has|have|had|do|does"
                   r"|did|not|[a-z]{3,}ed)\b")
# Where two items meet: a lower-case word, then a capitalised word that is not an acronym or a name in capitals.
_ITEM_MEETS = re.compile(r"(?<=[a-z]) (?=[A-Z][a-z])")


def verbless_list(sentence: str, names: frozenset[str] = frozenset()) -> str:
    """'Angioedema ... angioedema Hypersensitivity Co-administration of aliskiren ...' -> 'Angioedema ...
    angioedema; hypersensitivity; co-administration of aliskiren ...'; any other sentence as it is."""
    if ":" in sentence or "," in sentence or _VERB.search(sentence):
        return sentence
    words = sentence.split()
    if sum(w[:1].isupper() for w in words) * 5 >= 2 * len(words):  # a title: "Treatment of Gout in Adults With ..."
        return sentence
    items: list[str] = []
    start = 0
    for match in _ITEM_MEETS.finditer(sentence):
        before = sentence[:match.start()].rsplit(" ", 1)[-1]
        after = sentence[match.end():].split(" ", 1)[0].strip(",.;()").casefold()
        if before.casefold() in _HEADING_GLUE or after in _HEADING_GLUE or after in names:
            continue
        # "a Poison Control Center": a name's words; a one-word item ("... Hypersensitivity Co-administration")
        # starts with its capital
        if before[:1].isupper() and match.start() - len(before) != start:
            continue
        items.append(sentence[start:match.start()])
        start = match.end()
    if not items:
        return sentence
    items.append(sentence[start:])
    listed = [items[0]] + [i[:1].lower() + i[1:] for i in items[1:]]
    return "; ".join(i.strip().rstrip(".") for i in listed) + "."


_SECTION_WORDS = (r"INDICATIONS|USAGE|DOSAGE|ADMINISTRATION|CONTRAINDICATIONS|WARNINGS|PRECAUTIONS|ADVERSE|"
                  r"REACTIONS|INTERACTIONS|SUPPLIED(?:/STORAGE)?|STORAGE|HANDLING|OVERDOSAGE|POPULATIONS|SECTION|"
                  r"PHARMACOLOGY|DESCRIPTION")
_HEADING_WORDS = _SECTION_WORDS + r"|AND|&|IN|USE|SPECIFIC|OF|FOR|HOW|THE|PATIENT|COUNSELING|INFORMATION|CLINICAL|DRUG"
# "1.INDICATIONS & USAGE SECTION Treatment ...", "16 HOW SUPPLIED/STORAGE AND HANDLING How Supplied ...": a run of
# a section heading's capitals (a brand name in capitals after it stays: only heading words are taken).
_CAPS_SECTION = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s*)?(?:(?:" + _HEADING_WORDS + r")\s+)*?(?:" + _SECTION_WORDS
                           + r")(?:\s+(?:" + _HEADING_WORDS + r"))*\s+(?=[A-Z0-9(])")
_CAPS_START = re.compile(r"^[\d.\s]{0,8}[A-Z][A-Z/&]")
# "7.1. Potential for Other Drugs ...": a subsection number with a full stop after it.
_DOTTED_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.\s+(?=[A-Z])")


def strip_caps_section(text: str) -> str:
    if text[:1].isdigit():
        text = _DOTTED_NUMBER.sub("", text, count=1)
    if not _CAPS_START.match(text):
        return text
    return _CAPS_SECTION.sub("", text, count=1)


_SPACES = re.compile(r"\s+")


def same_text(sentence: str) -> str:
    """Two quotes with this key say the same sentence."""
    return _SPACES.sub(" ", sentence).strip().rstrip(".").casefold()

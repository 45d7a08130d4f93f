"""Label text made quotable: whole sentences, cleaned of what a patient cannot use.

Labels reach the index flattened: subsection numbers and headings are glued to the sentence that follows
("7.3 Non-Steroidal Anti-Inflammatory Agents In patients who are elderly ..."), cross-references sit inside
sentences ("( 1.1 )", "[see Warnings and Precautions (5.2)]"), bullet lists are runs of "•", and every label
ends its highlights with the same reporting boilerplate and a manufacturer's telephone number. Here:

- `clean_sentence` drops cross-references, section numbers and glued headings from one sentence;
- `label_sentences` splits a chunk into whole, cleaned sentences (never a window cut out of one); a bullet
  list becomes one short list ("Do not use if you have: asthma; kidney disease; ..."); sentences that are
  boilerplate (reporting, telephone numbers, web addresses) or too long to be read are left out; a sentence
  that leans on the one before is quoted with it or not at all, and none twice (`whole_sentences`);
- `compose` lays out the chosen sentences: a lead line per medicine that names it and its source, safety
  items first and marked, citations numbered from [1] in order of appearance, one number per passage.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from app.pipeline import phrases
from app.pipeline.whole_sentences import (
    join_leaning,
    leans_back,
    same_text,
    split_list_tail,
    strip_caps_section,
    verbless_list,
)
from indexing.schema import ATTRIBUTES, Attribute
from indexing.text import sentences
from indexing.vocabulary import CJK_CHAR

# "( 1.1 )", "(5.2, 5.3)", "( 4 , 7.4 )", "(2.1)": a reference to a numbered section.
_NUMBER_REF = re.compile(r"\s*\(\s*\d+(?:\.\d+)*(?:\s*[,;]\s*\d+(?:\.\d+)*)*\s*\)")
# "[see Warnings and Precautions (5.2)]", "(see ADVERSE REACTIONS)", "[ see Clinical Pharmacology ( 12.3 ) ]".
_SEE_REF = re.compile(r"\s*[\[(]\s*(?:see|See|SEE)\b[^\[\]()]*(?:\([^()]*\)[^\[\]()]*)*[\])]")
# A table's introduction glued before the table's note: "Storage conditions are summarized in the following table:
# a When stored at room temperature, ... 28 days ...": the note is a sentence (the in-use days), the intro is not.
_TABLE_INTRO = re.compile(r"^[^.:]{0,160}\b(?:in|following|the) table(?: \d+)?(?: below| above)?:\s+(?:[a-z*†‡]\s+)?"
                          r"(?=[A-Z][a-z])")
# "( Error! Hyperlink reference not valid. )", "[see Error! Reference source not found., ...]": broken links
# (colchicine's and benazepril's labels).
_BROKEN_LINK = re.compile(r"\s*[(\[]\s*(?:see\s+)?(?:Error! (?:Hyperlink reference not valid|Reference source not "
                          r"found|Bookmark not defined)\.?\s*,?\s*)+[)\]]|Error! (?:Hyperlink reference not valid|"
                          r"Reference source not found|Bookmark not defined)\.?")
# "(Table 2)", "(Figure 1)".
_TABLE_REF = re.compile(r"\s*\(\s*(?:Table|Figure|Fig\.)\s*\d+[^()]*\)")
# A section number opening the text, or before a heading word: "2.3 Pediatric Patients", "7 DRUG INTERACTIONS".
_SECTION_NUMBER = re.compile(r"(?:(?<=^)|(?<=\s))\d{1,2}(?:\.\d{1,2})+\s+(?=[A-Z])|^\d{1,2}\s+(?=[A-Z]{2})")
_PHONE = re.compile(r"\b1-8\d\d-[\dA-Z]{3}-?[\dA-Z]{4}\b|\(?\b\d{3}\)?[ .-]\d{3}-\d{4}\b")
_BOILERPLATE = re.compile(
    r"to report suspected adverse|www\.|https?://|\.com\b|medwatch|call your doctor for medical advice about side"
    r"|see 17 for patient counseling|revised:|see full prescribing information|\bsee (?:dosing|table|figure)"
    r"|(?:in|following|the) table(?: \d+)?(?: below| above)?[.:]"
    # Packaging notes for dispensers: "This Unit Dose package is not child resistant and is Intended for
    # Institutional Use Only."
    r"|not child[- ]resistant|institutional use only|\bunit dose package"
    r"|clinical (?:trials|studies) are conducted under widely varying conditions"
    r"|reported voluntarily from a population of (?:uncertain|unknown) size"
    # how a list below is laid out: "Adverse reactions are categorized below by organ system and listed by ..."
    r"|are categorized below by"
    # signposts to other parts of the label, which the answer cannot follow: "Significant drug interactions with
    # lamotrigine are summarized in this section.", "Additional details of these drug interaction studies are
    # provided in the Clinical Pharmacology section."
    r"|are summarized in this section|^(?:additional|further) (?:details|information)\b[^.]{0,80}\bprovided in the\b"
    r"|^a better perspective on"
    # "The appearance of these tablets is a trademark of Wyeth LLC."
    r"|\bis a (?:registered )?trademark of\b|\bare (?:registered )?trademarks of\b",
    re.IGNORECASE,
)
_EMERGENCY = re.compile(r"poison control|medical help|emergency|overdos", re.IGNORECASE)
# What each of those patterns needs before it can match (tested first: the patterns cost ~10-50 us a sentence).
# Every alternative of _BOILERPLATE holds one of these literal pieces (lower case).
_BOILERPLATE_PIECES = (
    "to report suspected adverse", "www.", "http", ".com", "medwatch", "call your doctor for medical advice about side",
    "see 17 for patient counseling", "revised:", "see full prescribing information", "see dosing", "see table",
    "see figure", "in table", "following table", "the table", "not child-resistant", "not child resistant",
    "institutional use only", "unit dose package", "are conducted under widely varying conditions",
    "reported voluntarily from a population of", "are categorized below by",
    "are summarized in this section", "provided in the", "a better perspective on", "trademark",
)
_FOLDS_TO_ASCII = re.compile("[\u017f\u212a\u0131\u0130]")
_DIGIT_DASH = re.compile(r"\d-[\dA-Z]")  # both telephone shapes have a digit, a hyphen, a digit or letter
_SECTION_DIGITS = re.compile(r"\d\.\d|^\d")
_BULLET_GLYPHS = frozenset("•●▪■◦○")


def _has_bullet(text: str) -> bool:
    return not _BULLET_GLYPHS.isdisjoint(text)
_BULLET = re.compile(r"\s*[•●▪■◦○]\s*")
_SPACES = re.compile(r"\s{2,}")
_EMPTY = re.compile(r"\(\s*[,;]?\s*\)|\[\s*\]")
# A section number cut by a sentence break: "75 mg orally, twice daily ( 2." (the rest, "2 ).", began the next)
_CUT_REF = re.compile(r"\s*\(\s*\d+(?:\.\d*)?\s*\.?$")
_DOUBLE_PUNCT = re.compile(r"([,;])\s*[,;]+")
_UNOPENED = re.compile(r"\)(?=\s*[.,;:]|\s*$)")
# "antihypertensives.." (a full stop, then a section reference turned into one): one full stop; "..." stays.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
_LEADING_PUNCT = re.compile(r"^[\s:;,.)\]|-]+")
_TABLE_BAR = re.compile(r"\s*\|\s*")
_LABEL_BAR = re.compile(r":\s*\|\s*")
# Subheadings labels glue before a sentence, removed whatever follows them.
_SUBHEADING = re.compile(
    r"^(?:Risk Summary|Clinical Considerations|Human Data|Animal Data|Data|Usage in [Pp]regnancy|Nursing Mothers|"
    r"Pediatric Use|Geriatric Use|Clinical Impact|Intervention|Examples|Administration Instructions|"
    r"Special Populations|General Information|General|Information for Patients)\s*:?\s+(?=[A-Z])"
)
_SPACE_PUNCT = re.compile(r"\s+([,.;:)\]])")
# Words a heading is made of besides capitalised ones.
_HEADING_GLUE = frozenset({"and", "of", "or", "in", "with", "the", "to", "for", "on", "a", "an", "&", "-", "/"})
# Words that often begin a label's sentence right after a glued heading ("Angina Pectoris There have been").
_SENTENCE_STARTERS = frozenset("""
    there the this these those in if a an use do take avoid patients patient both when during because
    concomitant coadministration co-administration it its as since for although treatment serious
    fatal cases available data based most some all other no adverse administration before after
    advise inform instruct tell caution monitor discontinue consider administer store keep dispense protect
    discard never always ask call stop swallow shake consistent following like unlike prior due initiate start
    """.split())
# A dosing instruction under a heading naming whom it is for ("Dosing in Asian Patients Initiate rosuvastatin at 5
# mg"): the heading is the line's population and stays ("Dosing in Asian Patients: Initiate ...")
_DOSING_VERBS = frozenset({"initiate", "start", "administer", "take", "reduce", "increase", "titrate", "give"})
_POPULATION_HEADING = re.compile(r"\b(?:patients|adults|children|pediatric|geriatric|elderly|impairment|asian|"
                                 r"women|neonates|infants|adolescents)\b", re.I)

# A dose line whose heading says what it is for: "Acute Tendonitis and Bursitis Recommended starting dose 550 mg"
# keeps its heading as the line's label, as a population heading does (a table's "Recommended Dose" column
# heading is no sentence start).
_HEADED_STARTERS = frozenset({"recommended"})

# An instruction starts with its verb and the product's capitalised name follows: "Discontinue Zolpidem Tartrate
# Tablets immediately if ..." is no heading glued before "Zolpidem ...", and dropping the verb reverses it.
_IMPERATIVES = frozenset("""
    discontinue avoid advise inform instruct tell caution monitor consider administer store keep dispense protect
    discard never ask call stop swallow shake take reserve withhold interrupt reduce
    """.split())

MAX_SENTENCE = 420  # longer "sentences" are flattened tables: left out, one citation click away
MIN_SENTENCE = 25
MIN_SENTENCE_CJK = 6
MAX_LIST_ITEMS = 8


# A flattened interaction table's row: its title and row heading before the cell's own heading ("Table 2: Drug
# Interactions that Increase the Risk of Myopathy ... Strong CYP3A4 inhibitors Clinical Impact: Simvastatin is a
# substrate of CYP3A4."): the sentence is what follows the cell heading.
_CELL_HEADING = re.compile(r"^.{0,240}?\b(?:Clinical Impact|Intervention|Examples?|Prevention or Management):\s+"
                           r"(?=[A-Z])")


def strip_references(text: str) -> str:
    """Cross-references and section numbers removed; spacing before punctuation repaired."""
    # Each pattern is tried only where the characters it needs are present (the same result; a label's
    # sentences are cleaned the first time a question reads the label, so this runs in the chat's time).
    if "Error!" in text:  # a word processor's broken cross-reference left in the label's text
        text = _BROKEN_LINK.sub(" ", text)
    text = _without_see_refs(text)
    if "(" in text:
        text = _NUMBER_REF.sub("", text)
    if "(" in text:
        text = _TABLE_REF.sub("", text)
    if _SECTION_DIGITS.search(text):
        text = _SECTION_NUMBER.sub("", text)
    if "(" in text or "[" in text:
        text = _CUT_REF.sub(".", _EMPTY.sub("", text))
    if ")" in text and "(" not in text:  # "... after methotrexate overdosage)." (the label lost its opening one)
        text = _UNOPENED.sub("", text)
    text = _SPACE_PUNCT.sub(r"\1", text)
    text = _DOUBLE_PUNCT.sub(r"\1", text)
    if ".." in text:
        text = _DOUBLE_STOP.sub(".", text)
    text = strip_caps_section(_LEADING_PUNCT.sub("", _SPACES.sub(" ", text).strip()))
    if ":" in text:
        text = _CELL_HEADING.sub("", text)
    return _SUBHEADING.sub("", text)


# A cross-reference that ends a list item before the next one's capital: "... of the labeling: Hemorrhage [see Boxed
# Warning ...] Tissue Necrosis [see Warnings and Precautions ( 5.2 )] Calciphylaxis [see ...]".
_REF_BEFORE_ITEM = re.compile(r"\s*\[\s*(?:see|See|SEE)\b[^\[\]]*\]\s+(?=[A-Z])")


def _refs_as_item_ends(sentence: str) -> str:
    """A list whose items are told apart only by the cross-reference after each: each reference an item's end
    ("Hemorrhage; Tissue Necrosis; Calciphylaxis; ..."), not a run of capitalised words split word by word."""
    if "[" not in sentence or len(_REF_BEFORE_ITEM.findall(sentence)) < 2:
        return sentence
    return _REF_BEFORE_ITEM.sub("; ", sentence)


def _without_see_refs(text: str) -> str:
    if ("see" in text or "See" in text or "SEE" in text) and ("(" in text or "[" in text):
        return _SEE_REF.sub("", text)
    return text


def _word(token: str) -> str:
    return token.strip("(),:;").casefold()


def strip_heading(sentence: str, names: frozenset[str] = frozenset()) -> str:
    """'Angina Pectoris There have been reports ...' -> 'There have been reports ...'.

    A heading is a run of capitalised words (and glue words) glued before the sentence; it is removed only
    when the word that ends the run clearly starts a sentence: a usual sentence opener, a word of the
    heading itself ('Hypersensitivity Reactions Hypersensitivity reactions ...') or the medicine's name,
    and a lower-case word follows it."""
    words = sentence.split(" ")
    run = 0
    # a number inside the run belongs to the heading: "Pediatric Patients 6 Years of Age and Older with ..."
    while run < len(words) and words[run] and (
        words[run][0].isupper() or words[run][0] in "(" or words[run].casefold() in _HEADING_GLUE
        or (run > 0 and words[run].isdigit())
    ):
        run += 1
    if run < 2 or run >= len(words) or not words[run][:1].islower() or _word(words[0]) in _IMPERATIVES:
        return sentence
    # The sentence starts at the last capitalised word of the run (or earlier, for "In patients ..."), after any
    # number of it: "Pediatric Patients Age 3 to 11 years" is one heading.
    numbered = [i for i in range(run) if words[i].isdigit()]
    for start in range(run - 1, numbered[-1] if numbered else 0, -1):
        word = _word(words[start])
        heading = {_word(w).removesuffix("s") for w in words[:start]}  # "... Antidepressant Drugs Antidepressants"
        if not words[start][:1].isupper():
            continue
        if start < run - 1 and words[start].strip("(),:;").isupper() and all(
                w.isupper() for w in words[:start] if w.isalpha()):
            continue  # inside a title in capitals: "... HYPERSENSITIVITY REACTIONS, SEVERE ADVERSE REACTIONS, AND ..."
        # A heading's words carry no comma: "Tendon Rupture Fluoroquinolones, including ciprofloxacin, ...". A
        # title in capitals stays (split_run_on makes it a line of its own: it names the boxed warning's risks).
        starts = (word in _SENTENCE_STARTERS or word.removesuffix("s") in heading
                  or (word in _HEADED_STARTERS and start == run - 1)  # "Recommended starting dose", not a column
                  or word in names
                  or (_is_name(word, names) and not all(w.isupper() for w in words[:start] if w.isalpha()))
                  or (words[start].endswith(",") and start >= 2 and not words[start - 1].isupper()
                      # a comma before "and" lists the heading's own items: "Primary Dysmenorrhea, and Acute ..."
                      and words[start + 1].casefold() not in ("and", "or"))
                  # a brand in capitals after the heading: "... in Pediatric Patients ELIQUIS is indicated"
                  or (start == run - 1 and len(word) >= 4 and words[start].isupper() and words[start].isalpha()))
        if starts and _is_name(word, names):
            # a name of several words is one subject: "Amoxicillin and Clavulanate Potassium is contraindicated"
            start = _name_start(words, start, names)
        if start and starts and any(w[:1].isupper() for w in words[:start]) and (
                words[start - 1].casefold() not in _HEADING_GLUE):
            if (any(w.isdigit() for w in words[:start]) or word in _HEADED_STARTERS or (
                    word in _DOSING_VERBS and _POPULATION_HEADING.search(" ".join(words[:start])))) and not _restates(
                    words[:start], words[start:start + 6]):
                # "Adults and Children 12 Years and Older Take 2 tablets": the heading is the line's population
                return f"{' '.join(words[:start]).rstrip(':')}: {' '.join(words[start:])}"
            rest = " ".join(words[start:])
            if words[start - 1].endswith(":") and leans_back(rest):
                # "Drug Reaction with Eosinophilia ... (DRESS): Discontinue and evaluate clinically.": the heading
                # says what the instruction is about
                return f"{' '.join(words[:start]).rstrip(' :')}: {rest}"
            return rest
    return sentence


# Title words that name a form, not the medicine (the reader's title tokens hold them stemmed).
_FORM_STEMS = frozenset({"tablet", "capsul", "inject", "solut", "suspens", "releas", "delay", "extend", "film",
                         "coat", "chewabl", "powder", "cream", "ointment", "patch", "spray", "syrup", "liquid"})


def _name_start(words: list[str], start: int, names: frozenset[str]) -> int:
    """Where the medicine's name that ends at `start` begins: back over its other words and the "and" or "with"
    joining them ("Amoxicillin and Clavulanate Potassium")."""
    while start > 0:
        before = _word(words[start - 1])
        if _is_name(before, names) and not words[start - 1].endswith((",", ":")):
            start -= 1
        elif before in ("and", "with") and start > 1 and _is_name(_word(words[start - 2]), names):
            start -= 2
        else:
            break
    return start


def _is_name(word: str, names: frozenset[str]) -> bool:
    """The medicine's name, given as the reader's stemmed tokens ('esomeprazol')."""
    return any(len(n) >= 5 and n not in _FORM_STEMS and word.startswith(n)
                                and len(word) - len(n) <= 3 for n in names)


def _restates(heading: list[str], opening: list[str]) -> bool:
    """Whether a sentence's opening words say again what a population heading said ("Pediatric Patients 6
    Years ... For pediatric patients who ..."), so the heading can go."""
    said = {_word(w).removesuffix("s") for w in heading if len(w) >= 4 and w.casefold() not in _HEADING_GLUE}
    return any(_word(w).removesuffix("s") in said for w in opening)


# A heading glued before a sentence that starts with a usual opener after a word with no punctuation:
# "Adult Dosage Metformin hydrochloride tablets The recommended starting dose is ...".
_GLUED_OPENER = re.compile(r"^(?P<head>[A-Z][^.,;:()]{0,60}?[a-z0-9)]) (?P<start>(?:The|This|These|In|If|Use|Do|"
                           r"Take|Patients|Store|Keep|Avoid|Advise) [a-z])")
# Highlights end their bullets with a section reference and no full stop: "... with meals ( 2.1 ) Increase".
_REF_AS_END = re.compile(r"\s*\(\s*\d+(?:\.\d+)*(?:\s*,\s*\d+(?:\.\d+)*)*\s*\)\s+(?=(?:\d+(?:\.\d+)+\s+)?[A-Z])")


# A heading that says a child or an age the sentence is for: "Pediatric Patients 2 Years", "Adults 18 Years and Older"
# ("Adult Dosage Metformin hydrochloride tablets" says nothing an adult reader needs kept).
_POPULATION_HEAD = re.compile(r"\b(?:pediatric|paediatric|child(?:ren)?|infants?|neonates?|adolescents?)\b|"
                              r"\b\d+ (?:to \d+ )?(?:years?|months?)\b", re.I)


def strip_glued_heading(sentence: str) -> str:
    match = _GLUED_OPENER.match(sentence)
    if match is None:
        return sentence
    head = match.group("head").split(" ")
    if len(head) > 6 and sum(w[:1].isupper() for w in head) * 2 < len(head):
        return sentence
    if match.group("start").startswith("Use") and head[-1] in _HEADING_GLUE:
        return sentence  # "Refer to the Instructions for Use for ...": a title's word, no sentence's start
    if _POPULATION_HEAD.search(match.group("head")):
        # the population stays as the line's lead: without it a child's dose reads as everyone's
        return f"{match.group('head')}: {sentence[match.start('start'):]}"
    return sentence[match.start("start"):]


# An "o" bullet glyph glued to an item's first word ("• otake 1 tablet every 4 to 6 hours").
_GLYPH_O = re.compile(r"(?:(?<=^)|(?<=[•●▪■◦]))(\s*)o(?=(?:take|do|use|ask|stop|chew|swallow|give|repeat|apply|"
                      r"adults?|children|shake|keep|if|not)\b)")


def _render_list(sentence: str) -> str:
    """'Do not use if you have • asthma • kidney disease' -> 'Do not use if you have: asthma; kidney disease.'"""
    parts = [p.strip(" ;,") for p in _BULLET.split(sentence)]
    lead, items = parts[0], [p for p in parts[1:] if p]
    if not items:
        return lead
    more = len(items) > MAX_LIST_ITEMS
    items = items[:MAX_LIST_ITEMS]
    body = "; ".join(i.rstrip(".") for i in items) + ("; and others" if more else "")
    if not lead:
        return body[:1].upper() + body[1:] + "."
    return f"{lead.rstrip(':')}: {body}."


# A list item that heads the items after it: "adults and children 12 years and over:", "children 6 years to
# under 12 years" (a population, no instruction).
_GROUP_HEAD = re.compile(r"^(?:adults?|children|child|teens?|adolescents?|infants?|pediatric patients|patients)\b"
                         r"[^;:]{0,60}?\b(?:years?|months?|kg|older|over)(?: of age)?(?: and (?:over|older))?:?$", re.I)


_IF_THEN_DO = re.compile(r"^if\b[^,.;]{5,120}, (?:call|ask|contact|see|tell|talk to|stop|do not|don't|take|"
                         r"repeat|get|seek)\b[^.;]*\w$", re.IGNORECASE)


def list_groups(sentence: str) -> list[str]:
    """A bullet run that lists instructions per population ('adults and children 12 years and over: • take 2
    tablets ... • children 6 years to under 12 years • take 1 tablet ...') as one readable list per
    population, each quotable alone; any other bullet run as one list (`_render_list`)."""
    parts = [p.strip(" ;,") for p in _BULLET.split(sentence)]
    lead, items = parts[0], [p for p in parts[1:] if p]
    if lead.endswith((".", "!", "?")) and items:
        # A whole sentence before the bullets is not their heading ("... and urticaria. • Proton pump inhibitors
        # are contraindicated ..."): it and each whole-sentence item stand alone; an item that is not a sentence
        # lost its heading to the sentence between (not quoted: "if you have ever had ..." says nothing alone).
        # (an "if ..., do ..." item is a whole instruction: "if you vomit within 2 hours after taking the
        # medication, call a healthcare professional to find out if you should repeat the dose")
        # (an item opening with its strength is whole too: "5 mg, pink, oval-shaped ... tablets with "894" debossed on
        # one side and "5" on the other side.")
        return [lead, *(i for i in items if (i[:1].isupper() or i[:1].isdigit()) and i.endswith("."))] + [
            _closed(i[:1].upper() + i[1:]) for i in items if _IF_THEN_DO.match(i)]
    groups: list[tuple[str, list[str]]] = [(lead, [])]
    for item in items:
        if _GROUP_HEAD.match(item.split(":")[0].strip()) or (item.endswith(":") and len(item) < 80):
            groups.append((item, []))
        else:
            groups[-1][1].append(item)
    if len(groups) < 3:  # the lead and one heading at most: one list
        return [_render_list(sentence)]
    out = []
    for head, members in groups:
        head = head.rstrip(": ")
        if not members:
            if ":" in head:  # "children under 6 years: ask a doctor"
                out.append(head[:1].upper() + head[1:].rstrip(". ") + ".")
            continue
        listed = "; ".join(m.rstrip(".") for m in members[:MAX_LIST_ITEMS]) + ("; and others" if len(members) >
                                                                               MAX_LIST_ITEMS else "")
        text = f"{head}: {listed}." if head else listed + "."
        out.append(text[:1].upper() + text[1:])
    return out


# A flattened table: its header cells come back ("Not In-Use (unopened) Refrigerated ... Not In-Use (unopened)
# Room Temperature ... 28 days 28 days") and few of its words are lower-case prose.
# A table's caption and its flattened rows: "Table 3: Drugs that Can Increase the Risk of Bleeding Drug Class
# Specific Drugs Anticoagulants argatroban, ..." (the splitting of run-ons made it "drugs that; can; increase the").
_TABLE_CAPTION = re.compile(r"^Table \d+[A-Za-z]?\s*[:.]")


def table_like(sentence: str) -> bool:
    if _TABLE_CAPTION.match(sentence):
        return True
    words = sentence.split()
    if len(words) < 14:
        return False
    prose = sum(1 for w in words if w[:1].islower() and w.isalpha())
    if prose >= 0.45 * len(words):
        return False
    pairs = Counter(pairwise(words))
    return sum(1 for n in pairs.values() if n >= 2) >= 2


# A boxed warning's title in capitals before its first sentence: "WARNING: SERIOUS ADVERSE REACTIONS INCLUDING
# TENDINITIS, ... GRAVIS Fluoroquinolones, including ciprofloxacin, have been ...".
_CAPS_TITLE = re.compile(r"^((?:[A-Z0-9][A-Z0-9,:;()/'&-]*\s+){3,})(?=[A-Z][a-z])")
# Where a list flattened without bullets meets the next instruction: "... Central nervous system effects
# Discontinue ciprofloxacin immediately ...".
_GLUED_START = re.compile(r"(?<=[a-z)]) (?=(?:" + "|".join(
    w.capitalize() for w in ("discontinue", "avoid", "advise", "inform", "instruct", "monitor", "consider",
                             "administer", "store", "keep", "tell", "do not", "use", "take", "reserve")) + r")\b)")
# Items glued after a colon: "including: Tendinitis and tendon rupture Peripheral neuropathy Central ...".
_GLUED_ITEM = re.compile(r"(?<=[a-z]) (?=[A-Z][a-z])")
_GLUED_ITEM_CHARS = 80


def _glued_items(tail: str) -> list[str]:
    """The items of a list glued after a colon, cut where a capital follows a word in lower case: a name in title
    case stays one item ("Attention Deficit Hyperactivity Disorders (ADHD) in pediatric patients ... Narcolepsy"
    had been cut word by word into "attention; deficit; hyperactivity; disorders ...")."""
    cuts = [m.start() for m in _GLUED_ITEM.finditer(tail) if not tail[:m.start()].rsplit(" ", 1)[-1][:1].isupper()]
    return [tail[a:b].strip() for a, b in pairwise([0, *cuts, len(tail)]) if tail[a:b].strip()]


# A bulleted list flattened into one "sentence" too long to quote: the items were separated by a section number
# ("... 50 mg/m2 (1) nausea and vomiting associated with ... (1) postoperative ...") or by a full stop before a
# lower-case item ("... 50 mg/m 2 . initial and repeat courses ..."), and the next sentence starts with the
# medicine's name glued to the last item ("... to the abdomen Ondansetron tablets are also indicated ...").
_NUMBERED_ITEM = re.compile(r"\s\(\d+(?:\.\d+)*\)\s+(?=[a-z])")
_LAST_NUMBERED_ITEM = re.compile(r"(?<=[a-z])\s\(\d+(?:\.\d+)*\)\s*$")
_STOP_BEFORE_ITEM = re.compile(r"(?<=[A-Za-z0-9%)])\s?\.\s+(?=[a-z]{2})")
_GLUED_NAME = re.compile(r"(?<=[a-z]) (?P<name>[A-Z][a-z]+)"
                         r"(?= (?:\w+ ){0,2}?(?:is|are|was|were|has|have|should|may|can|must)\b)")


# What a section says when it lists nothing: "None.", "None known." (most contraindications sections of the
# newer labels).
NOTHING_LISTED = "None."
_UNCUT_CHUNK = 500  # indexing.chunk cuts an over-long sentence at a space past half of its 1,000 characters
_NOTHING_LISTED = re.compile(r"^(?:none|none known|not known)\s*\.?$", re.IGNORECASE)


def nothing_listed(attribute: str) -> str:
    """A section's "None." with its heading, so that it reads alone: "Contraindications: None."."""
    heading = Attribute(attribute).label if attribute in ATTRIBUTES else attribute.replace("_", " ")
    return f"{heading[:1].upper()}{heading[1:]}: {NOTHING_LISTED}"


def relisted(sentence: str, names: frozenset[str]) -> list[str]:
    """A flattened list's items joined as a list ("; "), and the sentence glued after it (starting with one of
    the medicine's `names`, lower-case tokens) as a sentence of its own."""
    # the same section number after every item ("(1)" ... "(1)"), not an enumeration ("(1) ..., (2) ...")
    numbers = {m.group(0).strip() for m in _NUMBERED_ITEM.finditer(sentence)}
    text = _LAST_NUMBERED_ITEM.sub(".", _NUMBERED_ITEM.sub("; ", sentence)) if len(numbers) == 1 else sentence
    text = _STOP_BEFORE_ITEM.sub(lambda m: m.group(0) if _abbreviation_before(text, m.start()) else "; ", text)
    cuts = [m.start() for m in _GLUED_NAME.finditer(text)
            if m.group("name").casefold() in names and text[:m.start()].rsplit(" ", 1)[-1] not in _NOT_AN_END]
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    pieces = [text[a:b].strip() for a, b in pairwise(bounds)]
    return [p if p.endswith((".", ":", ";")) or i == len(pieces) - 1 else p + "." for i, p in enumerate(pieces)]


def _abbreviation_before(text: str, at: int) -> bool:
    """Whether the full stop at `at` ends an abbreviation ("e.g. the", "approx. two") rather than a list item."""
    word = text[:at].rsplit(" ", 1)[-1]
    return "." in word or word.casefold() in {"approx", "vs", "etc", "incl", "max", "min", "no"}


def split_run_on(sentence: str) -> list[str]:
    """A 'sentence' too long to quote is often a title, a list and an instruction glued together (a boxed
    warning's flattened highlights): the title, the list as a short list and the instruction, each quotable."""
    parts: list[str] = []
    title = _CAPS_TITLE.match(sentence)
    if title is not None:
        parts.append(title.group(1).strip().rstrip(":;,") + ".")
        sentence = sentence[title.end():]
    for part in _GLUED_START.split(sentence):
        head, colon, tail = part.partition(": ")
        # (a list already told apart by semicolons keeps its items whole: "Tissue Necrosis; Calciphylaxis; ...")
        # (not a heading in title case run into its paragraph: ": Increased Angina and/or Myocardial Infarction
        # Rarely, patients, ... have developed ...", whose last "item" is prose)
        if colon and tail.count("; ") < 2 and len(items := _glued_items(tail.rstrip(". "))) > 1 and max(
                len(i) for i in items) <= _GLUED_ITEM_CHARS:
            part = f"{head}: " + "; ".join(i[:1].lower() + i[1:] for i in items) + "."
        parts += _directions(part.strip()) if len(part) > MAX_SENTENCE else [part.strip()]
    return parts


# Drug Facts directions flattened without punctuation: "... every day for 14 days swallow 1 tablet with a glass
# of water before eating in the morning take every day for 14 days do not take more than 1 tablet a day ...".
# Each instruction starts with its verb in lower case after a word that ends the one before.
# "adults"/"children" start a directions row ("adults and children 12 years and over: take ..."), not "... in adults."
_LOWER_INSTRUCTION = re.compile(r"(?<=[a-z0-9)]) (?=(?:take|swallow|do not|use|ask|stop|chew|repeat|shake|apply|"
                                r"(?:adults|children)(?![.,;]))\b)")
_NOT_AN_END = frozenset("who that which to may not should can will would must and or if when patients you they "
                        "we i it he she in for of with among than by on at from as all both".split())

# Words no sentence ends with: a text ending in one was cut, whatever its chunk says.
_NO_LAST_WORD = _NOT_AN_END | {"the", "a", "an", "than", "such", "including", "include", "includes", "are", "is",
                               "were", "was", "be", "been", "not", "no", "this", "these"}


def _directions(sentence: str) -> list[str]:
    """The instructions of flattened directions, each a line of its own; other text as it is."""
    cuts = [m.start() for m in _LOWER_INSTRUCTION.finditer(sentence)
            if sentence[:m.start()].rsplit(" ", 1)[-1].casefold() not in _NOT_AN_END]
    if len(cuts) < 2:
        return [sentence]
    parts = [sentence[a:b].strip() for a, b in pairwise([0, *cuts, len(sentence)])]
    return [p[:1].upper() + p[1:] + ("" if p.endswith((".", "!", "?")) else ".") for p in parts if p]


def _split_glued_instruction(sentence: str) -> list[str]:
    """The sentence and the instruction glued after it, each ending like a sentence ('... angioedema Do not
    co-administer ...'); 'Limitations of Use: ...' is no such meeting (a glue word before, a colon after)."""
    cuts = [m.start() for m in _GLUED_START.finditer(sentence)
            if sentence[:m.start()].rsplit(" ", 1)[-1].casefold() not in _HEADING_GLUE
            and not sentence[m.end():].split(" ", 1)[0].endswith(":")]
    parts = [sentence[a:b].strip() for a, b in pairwise([0, *cuts, len(sentence)])]
    return [p if p.endswith((".", "!", "?", ":")) else p + "." for p in parts if p]


# What a too-long sentence can do without before its list is cut: a trial's demographics in brackets, and the
# trial it opens with ("In the placebo-controlled clinical trial database of 16,066 patients (... age range 10
# to 93 years, 39% female ...) with a median treatment duration of 53 weeks, the most common adverse reactions
# ... were: myalgia (0.7%), ..."): the finding is what follows.
_LONG_ASIDE = re.compile(r"\s*\([^()]{60,}\)")
_TRIAL_OPENING = re.compile(r"^(?:In|Across|From) [^.]{0,200}?\b(?:trials?|studies|study|database)\b[^.]{0,120}?, "
                            r"(?=the (?:most )?(?:common|frequent)|adverse)")


def _without_asides(sentence: str) -> str:
    """A too-long sentence without its bracketed asides and its trial opening, where that makes it short enough."""
    shorter = _LONG_ASIDE.sub("", sentence)
    if len(shorter) > MAX_SENTENCE:
        shorter = _TRIAL_OPENING.sub("", shorter)
    if len(shorter) > MAX_SENTENCE or shorter == sentence:
        return sentence
    return shorter[:1].upper() + shorter[1:]


def _shorten_list(sentence: str) -> str:
    """A run-on list ('Fluid and electrolyte disturbances: sodium retention, fluid retention, ...') keeps its
    first items and says there are more; anything else too long to read is left as it is (and left out)."""
    if ": " in sentence and sentence.count("; ") >= 2:
        # a list of items after a colon, separated by semicolons: whole items, as many as fit
        cut = sentence.rfind("; ", sentence.find(": "), MAX_SENTENCE - 20)
        if cut > MAX_SENTENCE // 2:
            return sentence[:cut].rstrip() + "; and others."
    if sentence.count(",") + sentence.count(";") < 6:
        return sentence
    cut = max(sentence.rfind(",", 0, MAX_SENTENCE - 20), sentence.rfind(";", 0, MAX_SENTENCE - 20))
    if cut < MAX_SENTENCE // 2:
        return sentence
    return sentence[:cut].rstrip() + ", and others."


def _closed(piece: str) -> str:
    """A chunk's last piece, where its section's text ends or the chunking cut it, closed as a sentence; a list cut
    inside a bracket ("are: insomnia, ejaculation disorder (primarily") ends before it, saying there are more."""
    if piece.count("(") > piece.count(")"):
        kept = piece[:piece.rfind("(")].rstrip(" ,;")
        if ", " in kept and len(kept) >= MIN_SENTENCE:
            return f"{kept}, and others."
        return kept  # not a list: no whole sentence is left (not quoted)
    return piece + "."


def _complete(sentence: str) -> bool:
    """A whole sentence: it does not start in the middle of one, and it ends like one."""
    first = sentence[:1]
    if CJK_CHAR.match(first):
        return True
    if not (first.isupper() or first.isdigit() or first in "\"'“("):
        return False
    return sentence[-1:] in ".!?)\"'”。" or sentence.endswith(":")


def boilerplate(sentence: str) -> bool:
    """Reporting lines, web addresses and manufacturers' telephone lines. A sentence telling the reader to get
    emergency help keeps its number: "contact a Poison Control Center right away (1-800-222-1222)"."""
    if _may_be_boilerplate(sentence) and _BOILERPLATE.search(sentence):
        return True
    return _DIGIT_DASH.search(sentence) is not None and bool(_PHONE.search(sentence)) and not _EMERGENCY.search(
        sentence)


def _may_be_boilerplate(sentence: str) -> bool:
    """Whether `_BOILERPLATE` can match: one of its literal pieces is in the lower-cased sentence. A character
    that IGNORECASE matches to an ASCII letter but lower() does not (long s, Kelvin sign, dotted and dotless
    i) sends the sentence to the pattern itself."""
    lowered = sentence.lower()
    return any(piece in lowered for piece in _BOILERPLATE_PIECES) or _FOLDS_TO_ASCII.search(sentence) is not None


# An OTC label's Drug Facts headings run into the line before them once flattened ("... its ingredients Ask a
# doctor before use if you have liver disease Ask a doctor or pharmacist before use if you are taking the blood
# thinning drug warfarin Stop use and ask a doctor if ..."): each heading starts a sentence.
# Likewise the highlights' "Most common adverse reactions (incidence > 5%) are ..." after a list of reactions
# that ends without a full stop.
_DRUG_FACTS_HEADING = re.compile(
    r"(?<=[a-z0-9%)\]]) (?=(?:Ask a doctor (?:or pharmacist )?before use|Stop use and ask a doctor|When using this "
    r"product|Do not use\b|If pregnant or breast-feeding|Keep out of reach of children|Most common(?:ly observed)? "
    r"adverse reactions))"
)



def drug_facts_sentences(text: str) -> list[str]:
    """The sentences of a label text whose Drug Facts headings ("Do not use", "Ask a doctor before use if") run on
    from the list before them without a full stop: each heading starts a sentence."""
    return sentences(_DRUG_FACTS_HEADING.sub(". ", text))


# A Drug Facts directions table flattened: "... children under 4 years of age Do not use children 4 to under 6 years of
# age Do not use unless directed by a doctor children 6 to under 12 years of age 1 to 2 teaspoonfuls (5 ml to 10 ml)":
# each row is its age label and what it says ("Children 6 to under 12 years of age: 1 to 2 teaspoonfuls ...").
_DIRECTIONS_ROW = re.compile(
    r"(?<!\bto )(?<!\bin )(?<!\bfor )(?<!\bgive )(?<!\bof )(?<!\band )(?<!\bwith )(?<!: )"
    r"(?:(?<=^)|(?<=[\s■•]))(?P<label>(?i:adults|children|child|infants|consumers)(?: and children)?\s+"
    r"(?:(?:\d|under\b|over\b|younger\b|older\b|aged?\b|between\b)[^.;:■•]{0,50}?\b(?:years?|months?|yrs?)"
    r"(?: of age)?(?: and (?:over|older))?(?: \([^()]{0,30}\))?|with [a-z]+(?: or [a-z]+)? disease)):?\s+"
    r"(?=(?:[Dd]o not|[Aa]sk|[Tt]ake|[Uu]se|[Cc]onsult|[Gg]ive|[Cc]hew|[Ss]wallow|\d))")


def directions_rows(text: str) -> str:
    """A flattened directions table's rows each a sentence headed by its age label; other text as it is."""
    rows = list(_DIRECTIONS_ROW.finditer(text))
    if len(rows) < 2:
        return text
    out, at = [], 0
    for m in rows:
        before = text[at:m.start()].rstrip(" ;,")
        out.append(before + ("" if not before or before.endswith((".", ":", "•", "■")) else "."))
        label = m.group("label")
        out.append(f" {label[:1].upper()}{label[1:]}: ")
        at = m.end()
    return "".join(out).lstrip() + text[at:]


# A bullet in a symbol font's private-use area ("Directions \uf06e Dosage should be taken ..."): a bullet.
_SYMBOL_FONT_BULLET = re.compile("(?:(?<=^)|(?<=\\s))[\ue000-\uf8ff](?=\\s)")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# A storage instruction run on after a how-supplied table's rows ("... 10 syringes Navy Blue 2915-01 Store at 25°C
# (77°F); excursions permitted to 15°C–30°C"): a sentence of its own, not the rows' tail.
_STORE_AFTER_ROWS = re.compile(r"(?<=[0-9A-Za-z)])\s+(?=(?:Store|Keep) (?:at|between|below|"
                               r"in (?:a|the) (?:refrigerator|fridge)|refrigerated|frozen|unopened)\b)")
# A sentence whose subject the source lost, after a whole one: "... have not been established. who miss a dose ...".
_CUT_TAIL = re.compile(r"(?<=[a-z]{3})\. (?:who|whom|whose|which) ")
# A whole instruction too short to quote alone: "Do not freeze.", "Protect from light.", "Keep tightly closed."
# (not a bare "Do not use." or "Avoid use of EKTERLY.": a directive that short has often lost the heading saying
# for whom; "Do not use hot liquid." says its own)
_BARE_USE = r"(?:use|take|give)(?: of)?(?: [A-Z][A-Za-z-]*)?\.$"
_SHORT_INSTRUCTION = re.compile(r"^(?:Do not (?!" + _BARE_USE + r")|Don't (?!" + _BARE_USE + r")|Avoid (?!"
                                + _BARE_USE + r")|Never|Keep|Protect|Store|Shake|Discard|Refrigerate|Swallow|Chew)\b"
                                r"[^.;:]*[A-Za-z)]\.$")


# A numbered list flattened into the text ("Stevens-Johnson Syndrome 8. purpura 3. erythema multiforme 9. fever ..."):
# its items in the order of a two-column table, unreadable as a sentence
_INLINE_ITEM = re.compile(r"(?:^|\s)\d{1,2}\.\s+(?=[A-Za-z])")
_INLINE_ITEMS = 3
_CAPITAL_AFTER_SPACE = re.compile(r"(?<=\s)[A-Z]")
_HEADING_RUN = re.compile(r"^(?:[A-Z][\w-]*\s+)+(?=[A-Z][\w-]*\s+[a-z])")


def after_inline_list(sentence: str) -> str:
    """The sentence after a flattened numbered list glued before it, from the heading that follows the last item
    ("... 12. urticaria Cardiovascular Reaction Orthostatic hypotension may occur ..." -> "Orthostatic hypotension
    may occur ..."); the sentence itself when it has no such list or nothing after it."""
    items = list(_INLINE_ITEM.finditer(sentence))
    if len(items) < _INLINE_ITEMS:
        return sentence
    tail = sentence[items[-1].end():]
    start = _CAPITAL_AFTER_SPACE.search(tail)
    rest = tail[start.start():] if start else ""
    rest = _HEADING_RUN.sub("", rest, count=1)  # "Cardiovascular Reaction Orthostatic hypotension may ..."
    return rest if len(rest.split()) >= 6 and rest.rstrip().endswith((".", "!", "?")) else sentence


# A list's items set off by dashes after a full stop: "... (NDC 0046-1100-91). - Each oval maroon tablet contains
# 0.625 mg, in bottles of 100 ...": each item a sentence of its own (run together they were too long to quote).
_DASH_ITEM = re.compile(r"(?<=[.;)])\s+[-\u2013]\s+(?=[A-Z])")


@lru_cache(maxsize=16384)
def label_sentences(text: str, names: frozenset[str] = frozenset()) -> tuple[tuple[int, str], ...]:
    """(source sentence number, cleaned whole sentence) for every sentence of a chunk worth quoting.

    A chunk is a window of a section, so its first and last sentences may be cut by the chunking; those are
    left out (the neighbouring chunk has them whole)."""
    out: list[tuple[int, str]] = []
    if "Error!" in text:  # before splitting: its "!" would end a sentence in the middle
        text = _BROKEN_LINK.sub(" ", text)
    if _PRIVATE_USE.search(text):
        text = _SYMBOL_FONT_BULLET.sub("•", text)
    raw = [item for sentence in sentences(_DRUG_FACTS_HEADING.sub(". ", _REF_AS_END.sub(". ", _STORE_AFTER_ROWS.sub(
        ". ", directions_rows(text))))) for item in _DASH_ITEM.split(sentence)]
    # Chunks are packed whole sentence by whole sentence (indexing.chunk): a short chunk ending without a full stop
    # ends where its section does ("Use relieves redness of the eye due to minor eye irritations"). Only a
    # sentence longer than a chunk is cut, and its first piece is at least half a chunk (500 characters).
    open_end = bool(raw) and text.rstrip()[-1:].isalnum() and len(text) < _UNCUT_CHUNK
    cut_inside = bool(raw) and text.rstrip()[-1:].isalnum() and not open_end
    raw = [piece for sentence in raw for piece in (relisted(sentence, names) if len(sentence) > MAX_SENTENCE
                                                   else [sentence])]
    for source, sentence in enumerate(raw):
        sentence = _TABLE_INTRO.sub("", sentence) if "table:" in sentence else sentence
        # After the cross-references go: "... and decreased libido (see Table 3)." is a sentence, not a pointer.
        if boilerplate(_SEE_REF.sub("", sentence)):
            continue
        if "|" in sentence:  # a flattened table row: its cells as a short list
            sentence = _TABLE_BAR.sub("; ", _LABEL_BAR.sub(": ", sentence)).strip("; ")
        cleaned = strip_glued_heading(strip_heading(strip_references(_refs_as_item_ends(after_inline_list(sentence))),
                                                    names))
        if len(cleaned) > MAX_SENTENCE:
            cleaned = _without_asides(cleaned)
        if _has_bullet(cleaned) and _BULLET.search(cleaned):
            listed, after = split_list_tail(cleaned)
            pieces = list_groups(_GLYPH_O.sub(r"\1", listed)) + ([after] if after else [])
        elif len(cleaned) > MAX_SENTENCE:
            pieces = split_run_on(cleaned)
        elif ": " in cleaned:
            # a list after a colon that runs into an instruction ("... with: a history of angioedema Do not
            # co-administer ..."): the instruction is a sentence of its own
            pieces = _split_glued_instruction(cleaned)
        else:
            pieces = [verbless_list(cleaned, names)]
        for at, piece in enumerate(pieces):
            piece = piece.strip()
            if _NOTHING_LISTED.match(piece):
                out.append((source, NOTHING_LISTED))  # "Contraindications: None.": the label lists none
                continue
            if (source == len(raw) - 1 and at == len(pieces) - 1 and open_end and piece[-1:].isalnum()
                    and piece[:1].isupper() and piece.rsplit(" ", 1)[-1].casefold() not in _NO_LAST_WORD):
                piece = _closed(piece)
            if source == len(raw) - 1 and cut_inside and at == len(pieces) - 1 and piece.count("(") > piece.count(")"):
                piece = _closed(piece.rstrip("."))  # the chunking cut a list inside a bracket
            if source == len(raw) - 1 and not _complete(piece):
                continue
            if len(piece) > MAX_SENTENCE:
                piece = _shorten_list(piece)
            if ". " in piece and ":" not in piece and (cut := _CUT_TAIL.search(piece)) is not None:
                piece = piece[:cut.start() + 1]  # "... established. who miss a dose ...": the tail lost its start
            cjk = bool(CJK_CHAR.search(piece))
            if not cjk and len(piece) < MIN_SENTENCE and _SHORT_INSTRUCTION.match(piece):
                # "Do not freeze.", "Protect from light.": too short alone, said of what the sentence before says
                if out and source - out[-1][0] <= 1 and len(out[-1][1]) + 1 + len(piece) <= MAX_SENTENCE:
                    out[-1] = (out[-1][0], f"{out[-1][1]} {piece}")
                continue
            if len(piece) < (MIN_SENTENCE_CJK if cjk else MIN_SENTENCE) or len(piece) > MAX_SENTENCE:
                continue
            if not any(ch.isalpha() for ch in piece) or not _complete(piece) or table_like(piece):
                continue
            out.append((source, piece))
    # A sentence that leans on the one before is quoted with it or not at all; a sentence said twice in a chunk
    # (a label's highlights and full text) is quoted once.
    seen: set[str] = set()
    whole = []
    for source, piece in join_leaning(out):
        if (key := same_text(piece)) not in seen:
            seen.add(key)
            whole.append((source, piece))
    return tuple(whole)


@dataclass(frozen=True, slots=True)
class Quote:
    """One chosen sentence and where it comes from."""

    medicine_id: str
    attribute: str
    chunk_id: str
    text: str
    safety: bool = False  # shown first, marked


@dataclass(frozen=True, slots=True)
class Passage:
    """Consecutive quotes of one chunk: one citation number."""

    n: int
    medicine_id: str
    attribute: str
    chunk_id: str
    quote: str
    safety: bool = False


@dataclass(frozen=True, slots=True)
class Composed:
    text: str
    passages: list[Passage]


def section_words(attribute: str) -> str:
    return {
        "adverse_reactions": "side effects", "interactions": "drug interactions", "dosage": "dosing",
        "patient_counseling": "patient counselling", "boxed_warning": "boxed warning",
        "specific_populations": "use in specific populations", "pediatric": "use in children",
        "geriatric": "use in older adults", "lactation": "breastfeeding", "dosage_forms": "dosage forms",
        "pharmacology": "clinical pharmacology",
    }.get(attribute, attribute.replace("_", " "))


def source_words(source: str) -> str:
    kind = source.split(":", 1)[0].casefold()
    return {"dailymed": "DailyMed", "openfda": "openFDA", "nmpa": "NMPA"}.get(kind, "")


def lead_line(name: str, source: str, attributes: list[str], missing: str | None, language: str = "en") -> str:
    """'Propranolol Hydrochloride (DailyMed label), contraindications and warnings:' (in Chinese for a
    Chinese question: app.pipeline.phrases)."""
    if language == "zh":
        return phrases.lead_line_zh(name, source, attributes, missing)
    where = source_words(source)
    label = f"{name} ({where} label)" if where else f"{name} (label)"
    said = [section_words(a) for a in dict.fromkeys(attributes)]
    listed = " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)
    if missing:
        sections = "sections say" if len(said) > 1 else "section says"
        return f"{label}: the label has no {section_words(missing)} section; its {listed} {sections}:"
    return f"{label}, {listed}:"


def compose(groups: list[tuple[str, list[Quote]]], language: str = "en") -> Composed:
    """groups: (lead line, quotes in reading order) per medicine. Consecutive quotes of one chunk share
    one citation; numbers run from 1 in order of appearance."""
    parts: list[str] = []
    passages: list[Passage] = []
    by_chunk: dict[tuple[str, str], int] = {}
    important = phrases.IMPORTANT_ZH if language == "zh" else "Important: "
    said: set[str] = set()
    for lead, group_quotes in groups:
        # the same sentence twice in one answer (repeated in a section, or in two sections) is quoted once
        quotes = [q for q in group_quotes if same_text(q.text) not in said]
        said.update(same_text(q.text) for q in quotes)
        if not quotes:
            continue
        parts.append(lead)
        i = 0
        while i < len(quotes):
            q = quotes[i]
            j = i + 1
            while j < len(quotes) and quotes[j].chunk_id == q.chunk_id and quotes[j].safety == q.safety:
                j += 1
            text = " ".join(x.text for x in quotes[i:j])
            key = (q.chunk_id, text)
            n = by_chunk.get(key)
            if n is None:
                n = len(passages) + 1
                by_chunk[key] = n
                passages.append(Passage(n, q.medicine_id, q.attribute, q.chunk_id, text, q.safety))
            parts.append(f"{important if q.safety else ''}{text} [{n}]")
            i = j
    return Composed(" ".join(parts), passages)

"""A Chinese medicine name typed with a character of the same sound: 华发林 for 华法林, 甲消唑 for 甲硝唑.

People type Chinese by its pinyin and pick the character from a list; the commonest slip is a character of the
same sound. The hand-written confusable groups of app.pipeline.zh_names cover the characters drug names are
made of; this reads any one character of the same toneless pinyin (not the first, as the confusable groups),
so long as the whole name sounds the same and exactly one name of the database does. Names of at least three
characters only (two-character names are words of everyday Chinese too often), and only where no name is
written exactly (app.pipeline.lexicon tries the exact names, then the confusable groups, then this). Over the 790
Chinese user turns of the non-held-out evaluation sets it read two names more (华发林, 阿托发他汀), both right.

The sounds come from pypinyin (its own dictionary, offline); without it installed, nothing is read this way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from app.pipeline.zh_names import FIRST_CONFUSABLE

MIN_CHARS = 3
MAX_CHARS = 10
_ANY_SLIPS = 4  # characters of a name read whatever characters of its sound are written


# Characters of everyday grammar: a name is not read through one of them written in its place ("起来的时候" is no
# 来得时, "吃了吗" no name); a voice keyboard writes these right.
# (not 一: 对一先安基分 is 对乙酰氨基酚 typed by its sound)
_GRAMMAR_CHARACTERS = frozenset("的得地了是在有不个这那他她我你说就也都要会和跟吗呢吧")


def _same_sound_slip(name: str, written: str) -> bool:
    """One character of the same sound, or any number of them after a first character written right (of a name
    of four characters or more, also a first chemistry character): speech typed by a phone writes each syllable
    with a character of its sound (奥斯他为 for 奥司他韦, 甲消坐 for 甲硝唑, 安绿地平 for 氨氯地平). Over the 2,616
    Chinese user turns of the evaluation sets before session 27 this read no name more; with any first character
    it would (有危险 sounds as 优维显, 又加了 as 优甲乐)."""
    if any(a != b and b in _GRAMMAR_CHARACTERS for a, b in zip(name, written, strict=True)):
        return False
    if name != written and (name[0] == written[0] or (len(name) >= _ANY_SLIPS and name[0] in FIRST_CONFUSABLE)):
        return True  # (the first character as _one_slip reads it: 立伐沙班 is not 利伐沙班)
    return _one_slip(name, written)


def _one_slip(name: str, written: str) -> bool:
    """One character differs, and not the first unless the name's first is a chemistry character people type by
    its sound (FIRST_CONFUSABLE: 绿吡格雷): names that differ in their first character are other medicines too
    often (立伐沙班 is not read as 利伐沙班)."""
    slips = [p for p, (a, b) in enumerate(zip(name, written, strict=True)) if a != b]
    return len(slips) == 1 and (slips[0] > 0 or name[0] in FIRST_CONFUSABLE)


@lru_cache(maxsize=65_536)
def sound(text: str) -> str | None:
    """The toneless pinyin of the text, syllables joined by spaces; None without pypinyin."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return None
    return " ".join(lazy_pinyin(text))


# Syllables heard alike by many speakers and voice keyboards: an aspirated initial and its plain one (丁 ding for
# 汀 ting), n and l, a front and a back nasal final.
_NEAR_INITIALS = (("zh", "zh"), ("ch", "zh"), ("sh", "sh"), ("t", "d"), ("p", "b"), ("k", "g"), ("q", "j"),
                  ("c", "z"), ("l", "n"))
_NEAR_FINALS = (("ing", "in"), ("eng", "en"))
NEAR_MIN_CHARS = 5  # a syllable heard near only in a long name, whose other syllables leave no doubt
HEARD_MIN_CHARS = 4  # a name of four syllables or more as a voice keyboard hears it (_heard_slip)


def _near_syllable(syllable: str) -> str:
    for written, heard in _NEAR_INITIALS:
        if syllable.startswith(written):
            syllable = heard + syllable[len(written):]
            break
    for written, heard in _NEAR_FINALS:
        if syllable.endswith(written):
            return syllable[: -len(written)] + heard
    return syllable.replace("v", "u")  # lü heard as lu (氯 lv, 录 lu)


def near_sound(said: str) -> str:
    """The sound with the syllables heard alike made one (ding and ting, lin and ling)."""
    return " ".join(_near_syllable(s) for s in said.split())


def _near_slip(name: str, written: str, name_said: str, written_said: str) -> bool:
    """A long name written right but for one syllable that sounds near (阿托发他丁 for 阿托伐他汀: 发 is fa as 伐,
    丁 ding near 汀 ting), its first character right."""
    if len(name) < NEAR_MIN_CHARS or name[0] != written[0]:
        return False
    off = [(a, b) for a, b in zip(name_said.split(), written_said.split(), strict=True) if a != b]
    return len(off) == 1


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether two syllables differ by one letter changed, added or dropped (pai and pei, lian and lan)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _heard_slip(name_said: str, written_said: str) -> bool:
    """A name of four syllables or more written as a voice keyboard hears it (朵奈陪齐 for 多奈哌齐, 安录地平 for
    氨氯地平): every syllable sounds the same or near, but for at most one a letter apart, and the first sounds the
    same or near (a name's first syllable is what a listener is surest of)."""
    name_syllables, written_syllables = name_said.split(), written_said.split()
    if len(name_syllables) != len(written_syllables) or len(name_syllables) < HEARD_MIN_CHARS:
        return False
    apart = 0
    for at, (a, b) in enumerate(zip(name_syllables, written_syllables, strict=True)):
        if _near_syllable(a) == _near_syllable(b):
            continue
        if at == 0 or not _one_letter_apart(_near_syllable(a), _near_syllable(b)):
            return False
        apart += 1
    return apart <= 1


@dataclass
class HomophoneIndex:
    """Names (three characters or more, Chinese only) by their sound, and the long ones by their near sound."""

    by_sound: dict[str, set[str]] = field(default_factory=dict)
    by_near_sound: dict[str, set[str]] = field(default_factory=dict)
    # names of four characters or more by their length and the near sound of their first syllable (_heard_slip)
    by_first_syllable: dict[tuple[int, str], list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, names: Iterable[str]) -> HomophoneIndex | None:
        index = cls()
        for name in names:
            if MIN_CHARS <= len(name) <= MAX_CHARS and (said := sound(name)) is not None:
                index.by_sound.setdefault(said, set()).add(name)
                if len(name) >= NEAR_MIN_CHARS:
                    index.by_near_sound.setdefault(near_sound(said), set()).add(name)
                if len(name) >= HEARD_MIN_CHARS:
                    first = _near_syllable(said.split()[0])
                    index.by_first_syllable.setdefault((len(name), first), []).append((name, said))
        return index if index.by_sound else None

    def at(self, text: str, j: int) -> str | None:
        """The one name the text at j spells with one character of the same sound in place of the right one,
        longest first."""
        for n in range(min(MAX_CHARS, len(text) - j), MIN_CHARS - 1, -1):
            window = text[j : j + n]
            said = sound(window)
            if said is None:
                return None
            found = {name for name in self.by_sound.get(said, ()) if len(name) == n and _same_sound_slip(name, window)}
            if not found and n >= NEAR_MIN_CHARS:
                found = {name for name in self.by_near_sound.get(near_sound(said), ())
                         if len(name) == n and _near_slip(name, window, sound(name) or "", said)}
            if not found and n >= HEARD_MIN_CHARS:
                first = _near_syllable(said.split()[0])
                # (its first character written right or a chemistry character, as for one slip: 立伐沙班 is not read)
                found = {name for name, name_said in self.by_first_syllable.get((n, first), ())
                         if (name[0] == window[0] or name[0] in FIRST_CONFUSABLE)
                         and _heard_slip(name_said, said) and not any(
                             a != b and b in _GRAMMAR_CHARACTERS for a, b in zip(name, window, strict=True))}
            if len(found) == 1:
                return found.pop()
        return None

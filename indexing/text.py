"""Text normalisation, language detection, tokenisation and sentence splitting.

Tokens are what BM25 indexes, so index-time and query-time tokenisation must be the same function:
- English (and every Latin run, also inside Chinese text): case-folded alphanumeric tokens, a compact
  stopword list, Snowball (Porter2) stemming plus one extra rule (see `_stem`). Hyphenated compounds such
  as "5-fluorouracil" or "hla-b" are kept whole and their alphabetic parts are added as well, so both
  "5-fluorouracil" and "fluorouracil" match.
- Chinese (every CJK run): jieba words in precise mode plus the character bigrams of each run of
  non-stopword words. Precise mode rather than search mode because the bigrams already give the sub-word
  recall search mode would add, and search mode would count those sub-words twice.

Everything here is deterministic and free of I/O, except that jieba reads its bundled dictionary (and its
cache file in the temp directory) on the first Chinese call.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from typing import Literal

import jieba
import snowballstemmer

from indexing.vocabulary import CJK_CHAR, CJK_RUN

Lang = Literal["zh", "en"]

# Recorded in index manifests; change it whenever tokens for the same text change (indexes need rebuilding).
TOKENIZER_VERSION = "1: en snowball-porter2+nc, compounds; zh jieba-0.42.1 precise + bigrams"

jieba.setLogLevel(logging.WARNING)
# A private segmenter: words another module adds to the global jieba dictionary must not change our tokens.
_segmenter = jieba.Tokenizer()

_LATIN_LETTER = re.compile(r"[^\W\d_]", re.ASCII)

# A token: alphanumeric parts joined by hyphens; numbers keep decimals ("2.5") and thousands ("1,000"),
# and a number glued to a unit is two tokens ("300mg" -> "300", "mg"), while "b12" stays one.
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+(?=[^\W\d_])|[^\W_]+(?:-[^\W_]+)*")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": None, "\u2019": "'", "\u2018": "'"})
_SPACES = re.compile(r"\s+")

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can cannot could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just let me
    more most my myself no nor not now of off on once only or other ought our ours ourselves out over own
    same shall she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up upon very was we were what when where which while who whom
    why will with would you your yours yourself yourselves also may might must us via
    dont doesnt didnt cant couldnt wont wouldnt shouldnt isnt arent wasnt werent hasnt havent hadnt im
    ive id youre theyre thats whats
    """.split()
)

CHINESE_STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 和 是 在 有 也 就 都 而 及 与 或 等 被 对 将 把 这 那 其 之 于 以 为 由 从 着 过 吗 呢 吧 啊 呀 么
    啦 哦 嗯 哪些 什么 怎么 怎样 如何 哪 哪个 是否 可以 能 能否 会 要 请 请问 一下 我 你 您 他 她 它 我们
    你们 他们 自己 一个 一些 这个 那个 这些 那些 因为 所以 如果 但是 但 还 又 很 非常 还是 或者 以及 并
    并且 即 则 该 此 之后 之前 时 吃 用 有没有 可不可以 能不能 还有 需要 应该 谢谢
    """.split()
)


def normalize(text: str) -> str:
    """NFKC, unify hyphen and apostrophe variants, collapse white space; case is kept (tokenize folds it)."""
    text = unicodedata.normalize("NFKC", text).translate(_HYPHENS)
    return _SPACES.sub(" ", text).strip()


def detect_lang(text: str) -> Lang:
    """Return "zh" when CJK characters are at least a fifth of all letters (a character is about a word)."""
    cjk = len(CJK_CHAR.findall(text))
    if cjk == 0:
        return "en"
    latin = len(_LATIN_LETTER.findall(text))
    return "zh" if cjk >= 0.2 * (cjk + latin) else "en"


def tokenize(text: str, lang: str | None = None) -> list[str]:
    """Index/query tokens of `text`, in text order.

    Each run of text is tokenised by its script (CJK runs by the Chinese path, the rest by the English
    path), so mixed text needs no language decision and the result is the same whatever `lang` says;
    `lang` is only a hint, accepted so callers can pass a record's language as it is.
    """
    del lang
    text = normalize(text).casefold()
    tokens: list[str] = []
    start = 0
    for run in CJK_RUN.finditer(text):
        tokens.extend(_english_tokens(text[start : run.start()]))
        tokens.extend(_chinese_tokens(run.group()))
        start = run.end()
    tokens.extend(_english_tokens(text[start:]))
    return tokens


def _english_tokens(text: str) -> list[str]:
    text = _POSSESSIVE.sub("", text).replace("'", "")
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group().replace(",", "")
        if "-" not in word:
            if word not in ENGLISH_STOPWORDS:
                tokens.append(_stem(word))
            continue
        parts = word.split("-")
        tokens.append("-".join([*parts[:-1], _stem(parts[-1])]))
        tokens.extend(
            _stem(part)
            for part in parts
            if len(part) > 1 and not part.isdigit() and part not in ENGLISH_STOPWORDS
        )
    return tokens


def _chinese_tokens(run: str) -> list[str]:
    """jieba words (stopwords dropped) plus bigrams over each stretch of consecutive non-stopword words.

    A bigram that is exactly a two-character jieba word at the same place is not added a second time.
    """
    tokens: list[str] = []
    stretch: list[str] = []
    for word in _segmenter.lcut(run):
        if word in CHINESE_STOPWORDS:
            tokens.extend(_bigrams(stretch))
            stretch = []
            continue
        tokens.append(word)
        stretch.append(word)
    tokens.extend(_bigrams(stretch))
    return tokens


def _bigrams(words: list[str]) -> list[str]:
    joined = "".join(words)
    if len(joined) < 2:
        return []
    word_pairs: set[int] = set()
    offset = 0
    for word in words:
        if len(word) == 2:
            word_pairs.add(offset)
        offset += len(word)
    return [joined[i : i + 2] for i in range(len(joined) - 1) if i not in word_pairs]


_stemmers = threading.local()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Porter2 stem; words with digits are kept as they are ("b12", "5-ht3").

    One rule on top of Porter2: a stem ending in "nc" (from "-ncy") is re-stemmed as "-nt", so that
    pregnancy/pregnant, frequency/frequent and urgency/urgent share a stem.
    """
    if any(ch.isdigit() for ch in word):
        return word
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:  # Snowball stemmers keep state while they work: one per thread.
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    stem: str = stemmer.stemWord(word)
    if stem.endswith("nc") and len(stem) > 4:
        stem = stemmer.stemWord(stem[:-1] + "t")
    return stem


# Abbreviations after which a period never ends a sentence.
_ABBREVIATIONS = frozenset(
    """
    e.g i.e cf vs viz dr mr mrs ms prof fig figs no nos vol ref refs sec sect al st inc ltd co jr sr ca eq
    approx incl resp u.s
    """.split()
)
# Units and similar: the period ends a sentence only when a capital letter follows ("10 mg. Take ...").
_SOFT_ABBREVIATIONS = frozenset(
    """
    mg mcg µg μg g kg ml l dl mmol meq iu hr hrs h min mins wk wks mo yr yrs etc tab tabs cap caps oz lb lbs
    cm mm max a.m p.m bid tid qid qd prn
    """.split()
)
_BOUNDARY = re.compile(
    r"""
      (?P<cjk>[。！？；]+|(?<=[\u3400-\u9fff])[!?;]+)[”’"'」』）)]*   # Chinese: no space needed
    | (?P<en>[.!?]+)[”’"'»)\]]*(?=\s|$)                             # English: space or end after
    | (?P<nl>\s*\n\s*)                                              # a line break always ends one
    """,
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"[\w.]*$")
_NEXT_CHAR = re.compile(r"\s*(\S)")


def sentences(text: str) -> list[str]:
    """Split label text into sentences; each is a stripped slice of `text` (nothing inside is changed)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group("en") is not None and not _ends_english_sentence(text, match):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [text[a:b].strip() for a, b in _merge_wordless(text, spans)]


_SPACED_SECTION_NUMBER = re.compile(r"[^)]{0,3}\(\d{1,2}\. \d{1,2}(?:\.\d{1,2})?\)")


def _ends_english_sentence(text: str, match: re.Match[str]) -> bool:
    following = _NEXT_CHAR.match(text, match.end())
    if following is None:
        return True
    if match.group("en") != ".":  # "!", "?", "...": a boundary whatever follows
        return True
    period = match.start("en")
    if _SPACED_SECTION_NUMBER.match(text, max(0, period - 4)) and "(" in text[max(0, period - 4):period]:
        return False  # "[see Warnings and Precautions (5. 9)]": a section number written with a space
    word = _WORD_BEFORE.search(text[max(0, period - 24) : period])
    before = (word.group() if word else "").strip(".").casefold()
    first = following.group(1)
    if before in _ABBREVIATIONS:
        return False
    if before in _SOFT_ABBREVIATIONS:
        return first.isupper()
    return first.isupper() or first.isdigit() or first in "\"'“‘([" or bool(CJK_CHAR.match(first))


def _merge_wordless(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop blank spans; join spans without a letter ("1.", "(5.1).") to the next one, or to the last."""
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for a, b in spans:
        piece = text[a:b]
        if not piece.strip():
            continue
        if not any(ch.isalpha() for ch in piece):
            pending = a if pending is None else pending
            continue
        merged.append((a if pending is None else pending, b))
        pending = None
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], len(text))
        else:
            merged.append((pending, len(text)))
    return merged

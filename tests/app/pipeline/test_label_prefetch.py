"""Reading labels ahead gives what the reader computes inline: a chunk's quotable sentences and tokens are keyed
by the chunk's content (a rebuilt index's changed text, or another index object with the same chunk ids, gets
its own entry), the background thread fills the cache the reader hits, and the age-range pre-check never skips a
sentence the patterns match."""

from __future__ import annotations

import re
from pathlib import Path

from app.pipeline import read_cues
from app.pipeline.compose import label_sentences
from app.pipeline.label_prefetch import (
    LabelPrefetcher,
    _chunk_sentences,
    chunk_sentences,
    label_chunks,
)
from app.pipeline.read_cues import age_ranges, population_marks
from app.pipeline.read_enumeration import enumerated_items
from app.pipeline.read_lists import whole_list
from indexing.bm25 import BM25Index
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex
from indexing.text import tokenize

WARNINGS_V1 = ("Bleeding: warfarin can cause major or fatal bleeding. Monitor INR regularly in all patients. "
               "Drugs that increase bleeding risk include aspirin and NSAIDs.")
WARNINGS_V2 = ("Bleeding: warfarin can cause serious bleeding. Check the INR at every dose change. "
               "Avoid aspirin unless your doctor says so.")
NUMBERED = ("Diltiazem is contraindicated in (1) patients with sick sinus syndrome except in the presence of a "
            "functioning ventricular pacemaker, (2) patients with second- or third-degree AV block except in the "
            "presence of a functioning ventricular pacemaker, (3) patients with hypotension (less than 90 mm Hg "
            "systolic), (4) patients who have demonstrated hypersensitivity to the drug, and (5) patients with acute "
            "myocardial infarction and pulmonary congestion documented by x-ray on admission.")
CONTRAINDICATED = ("Spironolactone is contraindicated in patients with: Hyperkalemia Addison's disease "
                   "Concomitant use of eplerenone")


def _chunk(mid: str, attribute: str, text: str, position: int = 0, lang: str = "en") -> Chunk:
    return Chunk(f"{mid}:{attribute}:{position}", mid, attribute, position, text,
                 f"{mid.title()} - {attribute}", lang)


def _index(version: str, *chunks: Chunk) -> SearchIndex:
    mids = {c.medicine_id for c in chunks}
    entries = {m: MedicineEntry(m, m.title(), (), "en", "test", tuple({c.attribute for c in chunks})) for m in mids}
    return SearchIndex(path=Path("."), manifest={"version": version}, chunks=list(chunks), medicines=entries,
                       bm25=BM25Index.build([tokenize(c.text) or ["x"] for c in chunks]), dense=None)


def _inline(chunk: Chunk) -> tuple[tuple[int, str, frozenset[str]], ...]:
    """What the reader's pool computed for a chunk before the cache (app.pipeline.read at 27c4667)."""
    names = frozenset(tokenize(chunk.title or chunk.medicine_id.replace("-", " ")))
    found = label_sentences(chunk.text, names)
    if (whole := whole_list(chunk.attribute, chunk.text, len(found))) is not None:
        found = ((0, whole),)
    found += tuple((100 + n, item) for n, item in enumerate(enumerated_items(chunk.attribute, chunk.text)))
    return tuple((source, text, frozenset(tokenize(text, chunk.lang))) for source, text in found)


def test_chunk_sentences_are_what_the_reader_computed_inline() -> None:
    chunks = [
        _chunk("warfarin", "warnings", WARNINGS_V1),
        _chunk("spironolactone", "contraindications", CONTRAINDICATED),  # no full stop: one whole line
        _chunk("diltiazem", "contraindications", NUMBERED),  # item by item too (read_enumeration)
        _chunk("metformin", "dosage", "| Adults | 500 mg twice daily |\n| Children 10 to 16 years | 500 mg |"),
        _chunk("ibuprofen", "warnings", "孕妇及哺乳期妇女慎用。服用本品期间不得饮酒或含有酒精的饮料。", lang="zh"),
    ]
    for chunk in chunks:
        assert chunk_sentences(chunk) == _inline(chunk), chunk.chunk_id
    assert len(chunk_sentences(chunks[1])) == 1 and "Addison" in chunk_sentences(chunks[1])[0][1]
    assert any(source >= 100 for source, _, _ in chunk_sentences(chunks[2]))


def test_a_rebuilt_index_with_new_text_gets_its_own_sentences() -> None:
    old = _index("v1", _chunk("warfarin", "warnings", WARNINGS_V1))
    new = _index("v1", _chunk("warfarin", "warnings", WARNINGS_V2))  # same version name, same chunk ids
    (old_chunk,), (new_chunk,) = label_chunks(old, "warfarin"), label_chunks(new, "warfarin")
    assert old_chunk.chunk_id == new_chunk.chunk_id
    old_texts = [text for _, text, _ in chunk_sentences(old_chunk)]
    new_texts = [text for _, text, _ in chunk_sentences(new_chunk)]
    assert any("fatal bleeding" in t for t in old_texts) and not any("fatal" in t for t in new_texts)
    assert chunk_sentences(new_chunk) == _inline(new_chunk)
    # the title is part of the key: a heading naming the medicine is stripped by the names it gives
    renamed = Chunk(old_chunk.chunk_id, "warfarin", "warnings", 0, old_chunk.text, "Coumadin - warnings")
    assert chunk_sentences(renamed) == _inline(renamed)


def test_the_prefetcher_fills_the_cache_the_reader_reads() -> None:
    text = WARNINGS_V1 + " Prefetch test sentence number one is long enough to quote here."
    index = _index("v3", _chunk("warfarin", "warnings", text), _chunk("warfarin", "dosage", "Take 5 mg once daily. "
                   "Adjust the dose by the INR."), _chunk("aspirin", "warnings", "Reye's syndrome may occur in "
                   "children. Ask a doctor before use."))
    prefetcher = LabelPrefetcher()
    before = _chunk_sentences.cache_info()
    prefetcher.prefetch(index, ["warfarin", None, "not-in-the-index", "warfarin"])
    assert prefetcher.drain()
    after = _chunk_sentences.cache_info()
    assert after.misses - before.misses == 2  # warfarin's two chunks, once each; aspirin was not asked
    for chunk in label_chunks(index, "warfarin"):
        assert chunk_sentences(chunk) == _inline(chunk)
    assert _chunk_sentences.cache_info().hits - after.hits == 2
    marks = population_marks.cache_info()
    sentences = [text for c in label_chunks(index, "warfarin") for _, text, _ in chunk_sentences(c)]
    assert [population_marks(t) for t in sentences] == [population_marks.__wrapped__(t) for t in sentences]
    assert population_marks.cache_info().hits - marks.hits == len(sentences) > 0  # read ahead too


def test_nothing_to_read_ahead_starts_no_thread() -> None:
    prefetcher = LabelPrefetcher()
    prefetcher.prefetch(None, ["warfarin"])
    prefetcher.prefetch(_index("v4", _chunk("warfarin", "warnings", WARNINGS_V1)), ["aspirin", None])
    assert prefetcher._thread is None and prefetcher.drain(timeout=0.1)


def _age_ranges_unfiltered(text: str) -> list[tuple[int, int]]:
    """age_ranges without its pre-check (read_cues at 4a51822)."""
    out: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in read_cues._AGE_RANGES:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append(m.span())
            if kind == "span":
                low, high = int(m.group(1)), int(m.group(2))
                out.append((low, high + (0 if re.search(read_cues._UNDER, m.group(0), re.I) else 1)))
            elif kind == "below":
                out.append((0, int(m.group(1))))
            elif kind == "up_to":
                out.append((0, int(m.group(1)) + 1))
            else:
                out.append((int(m.group(1)), 200))
    return out


def test_the_age_pre_check_skips_only_sentences_no_pattern_matches() -> None:
    sentences = [
        "Children 6 years to under 12 years: 1 tablet every 4 hours.",
        "ADULTS AND CHILDREN 12 YEARS AND OVER: take 2 tablets.",
        "children under 6 yrs: ask a doctor",
        "Ages 2-5 Years of age: 5 mL.",
        "patients 3 to 12 years of age",
        "children older than 8 years of age",
        "8 years of age or less",
        "Children ٦ years to under ١٢ years: half a tablet.",  # Arabic-Indic digits are \\d too
        "Take 2 tablets every 4 hours.",  # digits, no year word
        "Not for use in children; elderly patients may need a lower dose.",  # a year word's letters, no digit
        "Over the years, 10 studies found no harm.",
    ]
    for sentence in sentences:
        assert age_ranges(sentence) == _age_ranges_unfiltered(sentence), sentence
    assert population_marks("Children ٦ years to under ١٢ years: half a tablet.")[0] == ((6, 12),)
    assert population_marks("ADULTS AND CHILDREN 12 YEARS AND OVER: take 2 tablets.")[1:] == (True, True)

"""Deterministic scale corpora (10k / 100k / 1M chunks) grown from the real label chunks, cached on disk.

- At or below the real size: a seeded subset of the real chunks (their own tokens and embeddings).
- Above it: all real chunks, then synthetic medicines. Synthetic medicine k copies the chunk layout of a
  real template medicine (attribute and sentence count of each chunk); every sentence of a new chunk is
  drawn at random from the real sentences of the same attribute, with the sentence's own drug name
  replaced by the synthetic medicine's made-up name (so term statistics stay label-like while the
  vocabulary grows by one name per medicine). The title is "<name> - <section label>", as real titles.
- Tokens: real sentences are tokenised once; a synthetic chunk's tokens are its title's tokens followed by
  its sentences' tokens, which is exactly `tokenize(index_text)` because English tokens never cross the
  space that joins sentences. (The real corpus is all English; Chinese text would not have that property.)
- Vectors: encoding 1M chunks on 2 CPU cores would take about 14 hours, so a synthetic chunk's vector is
  normalize(v + N(0, NOISE_SIGMA^2 I)), v the real embedding of its template chunk: cosine to v is about
  1 / sqrt(1 + 384 * NOISE_SIGMA^2) = 0.85.

Everything is seeded, and cached under `<work_dir>/g<GENERATOR_VERSION>-<real index version>/` so re-runs
only load arrays.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indexing.schema import ATTRIBUTES, Attribute
from indexing.store import SearchIndex, load_current
from indexing.text import sentences, tokenize

GENERATOR_VERSION = 3
SEED = 20_261_123
NOISE_SIGMA = 0.032
VECTOR_BLOCK = 65_536
PLACEHOLDER = "Zqxdrug"  # stands for "this sentence's drug" in the sentence pool
_PLACEHOLDER_TOKEN = "zqxdrug"

_PREFIXES = "ab be ce da el fo ga hi ix jo ka lu mo ne or pa qu ri so tu va xe yo za".split()
_MIDDLES = "lo ra ti ve mi do su ne ka ro pe li zu fa bo me".split()
_SUFFIXES = "mab nib pril sartan statin olol azole cillin vir tide dronate parin oxacin cycline zepam dipine".split()


@dataclass(frozen=True)
class RealCorpus:
    """What the generator needs from the serving index: tokens, sentences and embeddings per chunk."""

    key: str
    attributes: list[str]
    medicine_rows: list[NDArray[np.int64]]  # chunk rows of each medicine, in index order
    doc_tokens: list[list[str]]
    texts: list[str]
    sentence_text: list[str]  # every chunk's sentences, drug name replaced by PLACEHOLDER
    sentence_tokens: list[list[str]]
    sentence_offsets: NDArray[np.int64]  # chunk i's sentences: sentence_offsets[i]:sentence_offsets[i+1]
    vectors: NDArray[np.float32]

    @property
    def n(self) -> int:
        return len(self.doc_tokens)


@dataclass
class ScaleCorpus:
    """n documents as token ids over `vocab` (CSR layout), the real chunk each vector derives from, and
    what is needed to write any document's text back (for engines that tokenise themselves)."""

    n: int
    vocab: list[str]
    offsets: NDArray[np.int64]
    token_ids: NDArray[np.int32]
    source: NDArray[np.int64]  # real chunk row of each document (itself, or its template chunk)
    synthetic: NDArray[np.bool_]
    sent_offsets: NDArray[np.int64]  # synthetic docs only: drawn sentence ids, CSR by synthetic doc
    sent_ids: NDArray[np.int64]
    name_ids: NDArray[np.int64]  # synthetic docs only: which made-up name
    real: RealCorpus

    def docs(self, rows: slice | None = None) -> list[list[str]]:
        lo, hi, _ = (rows or slice(0, self.n)).indices(self.n)
        bounds = self.offsets[lo : hi + 1].tolist()
        flat = self._vocab_array[self.token_ids[bounds[0] : bounds[-1]]].tolist()
        base = bounds[0]
        return [flat[a - base : b - base] for a, b in itertools.pairwise(bounds)]

    @cached_property
    def _vocab_array(self) -> NDArray[np.object_]:
        return np.array(self.vocab, dtype=object)

    def text(self, i: int) -> str:
        if not self.synthetic[i]:
            return self.real.texts[int(self.source[i])]
        j = i - int(np.count_nonzero(~self.synthetic))
        name = synthetic_name(int(self.name_ids[j]))
        label = Attribute(self.real.attributes[int(self.source[i])]).label
        ids = self.sent_ids[self.sent_offsets[j] : self.sent_offsets[j + 1]]
        body = " ".join(self.real.sentence_text[s] for s in ids.tolist()).replace(PLACEHOLDER, name)
        return f"{name} - {label}\n{body}"

    def vectors(self, cache_dir: Path) -> NDArray[np.float32]:
        path = cache_dir / f"vectors-{self.n}.npy"
        if path.is_file():
            return np.asarray(np.load(path, mmap_mode="r"))
        out = _synthetic_vectors(self.real.vectors, self.source, self.synthetic)
        np.save(path, out)
        return out


def synthetic_name(k: int) -> str:
    """The k-th made-up drug name (98,304 distinct ones), e.g. 'Abloramab'."""
    k, s = divmod(k, len(_SUFFIXES))
    k, m2 = divmod(k, len(_MIDDLES))
    k, m1 = divmod(k, len(_MIDDLES))
    p = k % len(_PREFIXES)
    return (_PREFIXES[p] + _MIDDLES[m1] + _MIDDLES[m2] + _SUFFIXES[s]).capitalize()


def load_real_index() -> SearchIndex:
    """The serving index; built from the shipped corpus and its vector cache when there is none."""
    from app.config import get_settings
    from indexing.store import IndexNotFoundError

    settings = get_settings()
    try:
        return load_current(settings.index_dir, settings.index_name, with_dense=True)
    except IndexNotFoundError:
        from app.services.indexes import build_options
        from indexing.build import build_index
        from indexing.embed import Encoder

        options = build_options(settings, progress=False)
        build_index(settings.corpus, options, Encoder(settings.embed.model, settings.embed.device))
        return load_current(settings.index_dir, settings.index_name, with_dense=True)


def cache_dir(work_dir: Path, index: SearchIndex) -> Path:
    path = work_dir / f"g{GENERATOR_VERSION}-{hashlib.sha1(index.version.encode()).hexdigest()[:10]}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_real(index: SearchIndex, directory: Path) -> RealCorpus:
    """Tokens and name-masked sentences of every real chunk (tokenised once, then cached)."""
    if index.dense is None:
        raise RuntimeError("the serving index has no dense vectors; rebuild it with them")
    chunks = index.chunks
    path = directory / "real.json"
    if path.is_file():
        cached = json.loads(path.read_text(encoding="utf-8"))
    else:
        cached = _tokenise_real(index)
        path.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
    return RealCorpus(
        key=index.version,
        attributes=[c.attribute for c in chunks],
        medicine_rows=list(index.rows_by_medicine.values()),
        doc_tokens=cached["doc_tokens"],
        texts=[c.index_text for c in chunks],
        sentence_text=cached["sentence_text"],
        sentence_tokens=cached["sentence_tokens"],
        sentence_offsets=np.asarray(cached["sentence_offsets"], dtype=np.int64),
        vectors=np.ascontiguousarray(index.dense.vectors, dtype=np.float32),
    )


def _tokenise_real(index: SearchIndex) -> dict[str, Any]:
    doc_tokens: list[list[str]] = []
    sentence_text: list[str] = []
    sentence_tokens: list[list[str]] = []
    offsets = [0]
    for chunk in index.chunks:
        doc_tokens.append(tokenize(chunk.index_text, chunk.lang))
        name = _name_pattern(index, chunk.medicine_id)
        for sentence in sentences(chunk.text) or [chunk.text]:
            text, tokens = _mask_name(sentence, name)
            sentence_text.append(text)
            sentence_tokens.append(tokens)
        offsets.append(len(sentence_text))
    return {
        "doc_tokens": doc_tokens,
        "sentence_text": sentence_text,
        "sentence_tokens": sentence_tokens,
        "sentence_offsets": offsets,
    }


def _mask_name(sentence: str, name: re.Pattern[str]) -> tuple[str, list[str]]:
    """The sentence with its drug name replaced by PLACEHOLDER, and its tokens; unmasked where the name
    would not come out as a token of its own ("Drug™" -> "drugtm"), since the swap works on tokens."""
    masked = name.sub(PLACEHOLDER, sentence)
    tokens = tokenize(masked)
    if masked != sentence and any(_PLACEHOLDER_TOKEN in t and t != _PLACEHOLDER_TOKEN for t in tokens):
        return sentence, tokenize(sentence)
    return masked, tokens


def _name_pattern(index: SearchIndex, medicine_id: str) -> re.Pattern[str]:
    med = index.medicines[medicine_id]
    names = {med.name, *med.aliases}
    first = med.name.split()[0]
    if len(first) >= 5 and first.isalpha():
        names.add(first)
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)
    # Not inside hyphenated compounds ("abacavir-treated"): those are single tokens the name swap would miss.
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def scale_corpus(real: RealCorpus, n: int, directory: Path) -> ScaleCorpus:
    path = directory / f"corpus-{n}.npz"
    if not path.is_file():
        _save_corpus(path, _generate(real, n))
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    vocab = json.loads(str(arrays.pop("vocab")))
    return ScaleCorpus(n=n, vocab=vocab, real=real, **arrays)


def _save_corpus(path: Path, arrays: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **{**arrays, "vocab": np.array(json.dumps(arrays["vocab"], ensure_ascii=False))})
    tmp.replace(path)


def _generate(real: RealCorpus, n: int) -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    if n <= real.n:
        rows = np.sort(rng.permutation(real.n)[:n]).astype(np.int64)
        empty = np.zeros(0, dtype=np.int64)
        plan = _Plan(rows, empty, np.zeros(1, dtype=np.int64), empty, empty)
    else:
        plan = _plan_synthetic(real, n - real.n, rng)
    vocab, token_ids, offsets = _encode_tokens(real, plan)
    n_real = len(plan.real_rows)
    return {
        "vocab": vocab,
        "offsets": offsets,
        "token_ids": token_ids,
        "source": np.concatenate([plan.real_rows, plan.template_rows]),
        "synthetic": np.arange(n_real + len(plan.template_rows)) >= n_real,
        "sent_offsets": plan.sent_offsets,
        "sent_ids": plan.sent_ids,
        "name_ids": plan.name_ids,
    }


@dataclass(frozen=True)
class _Plan:
    real_rows: NDArray[np.int64]
    template_rows: NDArray[np.int64]  # one per synthetic doc
    sent_offsets: NDArray[np.int64]
    sent_ids: NDArray[np.int64]
    name_ids: NDArray[np.int64]


def _plan_synthetic(real: RealCorpus, m: int, rng: np.random.Generator) -> _Plan:
    """Template chunk, made-up name and drawn sentences of each of the m synthetic documents."""
    order = rng.permutation(len(real.medicine_rows))
    names = rng.permutation(len(_PREFIXES) * len(_MIDDLES) ** 2 * len(_SUFFIXES))
    templates: list[NDArray[np.int64]] = []
    name_ids: list[NDArray[np.int64]] = []
    total, k = 0, 0
    while total < m:
        rows = real.medicine_rows[order[k % len(order)]]
        templates.append(rows)
        name_ids.append(np.full(len(rows), names[k], dtype=np.int64))
        total += len(rows)
        k += 1
    template_rows = np.concatenate(templates)[:m]
    counts = np.diff(real.sentence_offsets)[template_rows]
    sent_offsets = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(counts, out=sent_offsets[1:])
    # Sentence pools by attribute: a drawn sentence comes from a chunk of the template chunk's attribute.
    attr_codes = np.array([ATTRIBUTES.index(a) for a in real.attributes])
    sent_attr = np.repeat(attr_codes, np.diff(real.sentence_offsets))
    pool_order = np.argsort(sent_attr, kind="stable")
    pool_start = np.searchsorted(sent_attr[pool_order], np.arange(len(ATTRIBUTES)))
    pool_size = np.bincount(sent_attr, minlength=len(ATTRIBUTES))
    wanted = np.repeat(attr_codes[template_rows], counts)
    picks = (rng.random(len(wanted)) * pool_size[wanted]).astype(np.int64)
    sent_ids = pool_order[pool_start[wanted] + picks]
    return _Plan(
        real_rows=np.arange(real.n, dtype=np.int64),
        template_rows=template_rows,
        sent_offsets=sent_offsets,
        sent_ids=sent_ids.astype(np.int64),
        name_ids=np.concatenate(name_ids)[:m],
    )


def _encode_tokens(real: RealCorpus, plan: _Plan) -> tuple[list[str], NDArray[np.int32], NDArray[np.int64]]:
    """Token ids of every document: real ones as tokenised, synthetic ones assembled from sentence ids."""
    vocab: dict[str, int] = {}

    def ids(tokens: list[str]) -> list[int]:
        return [vocab.setdefault(t, len(vocab)) for t in tokens]

    real_docs = [ids(real.doc_tokens[r]) for r in plan.real_rows.tolist()]
    placeholder = ids(tokenize(PLACEHOLDER))[0]
    sent_flat = np.array([t for s in real.sentence_tokens for t in ids(s)], dtype=np.int32)
    sent_len = np.array([len(s) for s in real.sentence_tokens], dtype=np.int64)
    sent_start = np.cumsum(sent_len) - sent_len
    labels = {a: ids(tokenize(Attribute(a).label)) for a in ATTRIBUTES}
    name_token = {k: ids(tokenize(synthetic_name(k)))[0] for k in np.unique(plan.name_ids).tolist()}

    # Synthetic docs: title tokens, then the drawn sentences' tokens, the placeholder set to the doc's name.
    titles = [
        [name_token[k], *labels[real.attributes[t]]]
        for k, t in zip(plan.name_ids.tolist(), plan.template_rows.tolist(), strict=True)
    ]
    body = _ranges(sent_flat, sent_start[plan.sent_ids], sent_len[plan.sent_ids])
    body_len = _sum_by_doc(sent_len[plan.sent_ids], plan.sent_offsets)
    doc_names = np.array([name_token[k] for k in plan.name_ids.tolist()], dtype=np.int32)
    body = np.where(body == placeholder, np.repeat(doc_names, body_len), body).astype(np.int32)

    doc_len = np.array([len(d) for d in real_docs] + [len(t) for t in titles], dtype=np.int64)
    doc_len[len(real_docs) :] += body_len
    offsets = np.zeros(len(doc_len) + 1, dtype=np.int64)
    np.cumsum(doc_len, out=offsets[1:])
    token_ids = np.empty(int(offsets[-1]), dtype=np.int32)
    for i, doc in enumerate(real_docs):
        token_ids[offsets[i] : offsets[i + 1]] = doc
    body_at = np.cumsum(body_len) - body_len
    for j, (title, a) in enumerate(zip(titles, offsets[len(real_docs) : -1].tolist(), strict=True)):
        token_ids[a : a + len(title)] = title
        token_ids[a + len(title) : a + len(title) + body_len[j]] = body[body_at[j] : body_at[j] + body_len[j]]
    return list(vocab), token_ids, offsets


def _ranges(flat: NDArray[np.int32], starts: NDArray[np.int64], lengths: NDArray[np.int64]) -> NDArray[np.int32]:
    """flat[starts[0]:starts[0]+lengths[0]] + flat[starts[1]:...] + ..., without a Python loop."""
    step = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return flat[step + np.arange(int(lengths.sum()))]


def _sum_by_doc(values: NDArray[np.int64], offsets: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sums of values[offsets[i]:offsets[i+1]] (every range non-empty)."""
    if len(values) == 0:
        return np.zeros(len(offsets) - 1, dtype=np.int64)
    return np.asarray(np.add.reduceat(values, offsets[:-1]), dtype=np.int64)


def _synthetic_vectors(
    real_vectors: NDArray[np.float32], source: NDArray[np.int64], synthetic: NDArray[np.bool_]
) -> NDArray[np.float32]:
    """Real rows copied; synthetic rows perturbed copies of their template, in seeded blocks."""
    out = np.ascontiguousarray(real_vectors[source], dtype=np.float32)
    for block, start in enumerate(range(0, len(out), VECTOR_BLOCK)):
        rows = slice(start, min(start + VECTOR_BLOCK, len(out)))
        mask = synthetic[rows]
        if not mask.any():
            continue
        rng = np.random.default_rng([SEED, block])
        noisy = out[rows][mask] + rng.standard_normal((int(mask.sum()), out.shape[1]), dtype=np.float32) * NOISE_SIGMA
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        out[start + np.flatnonzero(mask)] = noisy
    return out

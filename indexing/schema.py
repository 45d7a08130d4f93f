"""Core data types shared by loaders, indexes and the service: medicines and their chunks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Attribute(StrEnum):
    """Canonical section keys of a medicine; loaders map source headings onto these."""

    INDICATIONS = "indications"
    DOSAGE = "dosage"
    DOSAGE_FORMS = "dosage_forms"
    CONTRAINDICATIONS = "contraindications"
    WARNINGS = "warnings"
    BOXED_WARNING = "boxed_warning"
    ADVERSE_REACTIONS = "adverse_reactions"
    INTERACTIONS = "interactions"
    PREGNANCY = "pregnancy"
    LACTATION = "lactation"
    PEDIATRIC = "pediatric"
    GERIATRIC = "geriatric"
    SPECIFIC_POPULATIONS = "specific_populations"
    OVERDOSAGE = "overdosage"
    DESCRIPTION = "description"
    PHARMACOLOGY = "pharmacology"
    STORAGE = "storage"
    PATIENT_COUNSELING = "patient_counseling"
    OTHER = "other"

    @classmethod
    def from_str(cls, value: str) -> Attribute:
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        try:
            return cls(key)
        except ValueError:
            allowed = ", ".join(a.value for a in cls)
            raise ValueError(f"unknown attribute {value!r}; expected one of: {allowed}") from None

    @property
    def label(self) -> str:
        return ATTRIBUTE_LABELS[self]


ATTRIBUTES: tuple[str, ...] = tuple(a.value for a in Attribute)

ATTRIBUTE_LABELS: dict[Attribute, str] = {
    Attribute.INDICATIONS: "indications and usage",
    Attribute.DOSAGE: "dosage and administration",
    Attribute.DOSAGE_FORMS: "dosage forms and strengths",
    Attribute.CONTRAINDICATIONS: "contraindications",
    Attribute.WARNINGS: "warnings and precautions",
    Attribute.BOXED_WARNING: "boxed warning",
    Attribute.ADVERSE_REACTIONS: "adverse reactions",
    Attribute.INTERACTIONS: "drug interactions",
    Attribute.PREGNANCY: "pregnancy",
    Attribute.LACTATION: "lactation",
    Attribute.PEDIATRIC: "pediatric use",
    Attribute.GERIATRIC: "geriatric use",
    Attribute.SPECIFIC_POPULATIONS: "use in specific populations",
    Attribute.OVERDOSAGE: "overdosage",
    Attribute.DESCRIPTION: "description",
    Attribute.PHARMACOLOGY: "clinical pharmacology",
    Attribute.STORAGE: "storage and handling",
    Attribute.PATIENT_COUNSELING: "patient counseling information",
    Attribute.OTHER: "other information",
}

# Chinese label headings (国家药品说明书) onto the vocabulary.
CHINESE_HEADINGS: dict[str, Attribute] = {
    "适应症": Attribute.INDICATIONS,
    "功能主治": Attribute.INDICATIONS,
    "用法用量": Attribute.DOSAGE,
    "规格": Attribute.DOSAGE_FORMS,
    "禁忌": Attribute.CONTRAINDICATIONS,
    "不良反应": Attribute.ADVERSE_REACTIONS,
    "药物相互作用": Attribute.INTERACTIONS,
    "注意事项": Attribute.WARNINGS,
    "孕妇及哺乳期妇女用药": Attribute.PREGNANCY,
    "儿童用药": Attribute.PEDIATRIC,
    "老年用药": Attribute.GERIATRIC,
    "药物过量": Attribute.OVERDOSAGE,
    "药理毒理": Attribute.PHARMACOLOGY,
    "成份": Attribute.DESCRIPTION,
    "性状": Attribute.DESCRIPTION,
    "贮藏": Attribute.STORAGE,
}


# Pharmacologic class kinds, as openFDA names them (`pharm_class_<kind>`): established pharmacologic class,
# mechanism of action, chemical structure, physiologic effect.
PHARM_CLASS_KINDS: tuple[str, ...] = ("epc", "moa", "cs", "pe")


@dataclass(frozen=True, slots=True)
class Medicine:
    """One medicine of the database. Everything after `sections` is linking metadata taken from the labels
    (openFDA `openfda` block, DailyMed SPL); it is optional, and a corpus without it still loads."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    lang: str = "en"
    source: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    # RxNorm concept ids of the products (a patient's medication list can match on them).
    rxcuis: tuple[str, ...] = ()
    # Active ingredients as the label names them ("METOPROLOL TARTRATE"); several for a combination.
    substances: tuple[str, ...] = ()
    # {kind: class names}, kind one of PHARM_CLASS_KINDS: {"epc": ("Nonsteroidal Anti-inflammatory Drug [EPC]",)}
    pharm_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    routes: tuple[str, ...] = ()  # "ORAL", "OPHTHALMIC", ...
    product_type: str = ""  # "HUMAN PRESCRIPTION DRUG", "HUMAN OTC DRUG"
    effective_date: str = ""  # YYYY-MM-DD of the newest label merged in
    # Every label merged into this medicine ("dailymed:<set id>", "file:<folder>/<file>"), `source` first.
    sources: tuple[str, ...] = ()
    # For a combination product: the ids of the single-ingredient medicines it is made of.
    ingredient_ids: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Name first, then aliases, without duplicates (case-insensitive)."""
        seen: set[str] = set()
        out: list[str] = []
        for n in (self.name, *self.aliases):
            if n and n.casefold() not in seen:
                seen.add(n.casefold())
                out.append(n)
        return tuple(out)

    @property
    def classes(self) -> tuple[str, ...]:
        """Every pharmacologic class name, in PHARM_CLASS_KINDS order."""
        return tuple(c for kind in PHARM_CLASS_KINDS for c in self.pharm_classes.get(kind, ()))

    def to_dict(self) -> dict[str, object]:
        """The corpus line. Metadata fields are written only when set, so a corpus without them
        round-trips unchanged."""
        out: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "lang": self.lang,
            "source": self.source,
            "sections": dict(self.sections),
        }
        if self.rxcuis:
            out["rxcuis"] = list(self.rxcuis)
        if self.substances:
            out["substances"] = list(self.substances)
        if self.pharm_classes:
            out["pharm_classes"] = {k: list(v) for k, v in self.pharm_classes.items()}
        if self.routes:
            out["routes"] = list(self.routes)
        if self.product_type:
            out["product_type"] = self.product_type
        if self.effective_date:
            out["effective_date"] = self.effective_date
        if self.sources:
            out["sources"] = list(self.sources)
        if self.ingredient_ids:
            out["ingredient_ids"] = list(self.ingredient_ids)
        return out


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable piece of one section of one medicine."""

    chunk_id: str
    medicine_id: str
    attribute: str
    position: int
    text: str
    title: str = ""
    lang: str = "en"

    @property
    def index_text(self) -> str:
        """What BM25 and the encoder see: the title names the drug and section so that unrestricted
        searches can still tell which medicine a passage belongs to."""
        return f"{self.title}\n{self.text}" if self.title else self.text

    def to_dict(self) -> dict[str, object]:
        return {
            "chunk_id": self.chunk_id,
            "medicine_id": self.medicine_id,
            "attribute": self.attribute,
            "position": self.position,
            "title": self.title,
            "lang": self.lang,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Chunk:
        return cls(
            chunk_id=str(d["chunk_id"]),
            medicine_id=str(d["medicine_id"]),
            attribute=str(d["attribute"]),
            position=int(d["position"]),  # type: ignore[call-overload]
            text=str(d["text"]),
            title=str(d.get("title", "")),
            lang=str(d.get("lang", "en")),
        )

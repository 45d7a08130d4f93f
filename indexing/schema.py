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

# Chinese label headings (国家药品说明书, the 【】 headings) onto the vocabulary. The first heading of an
# attribute is its Chinese label in chunk titles; later ones are variants seen on labels. Headings are
# compared after `indexing.zh_headings.normalise_heading` (spaces, 【】, colons and NFKC width gone).
# 药品名称 and its parts (通用名称, 商品名称, 英文名称, 汉语拼音) are names, not sections.
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
    # the rest of the standard headings
    "警示语": Attribute.BOXED_WARNING,
    "哺乳期妇女用药": Attribute.LACTATION,
    "特殊人群用药": Attribute.SPECIFIC_POPULATIONS,
    "药代动力学": Attribute.PHARMACOLOGY,
    "其他": Attribute.OTHER,
    "临床试验": Attribute.OTHER,
    "包装": Attribute.DOSAGE_FORMS,
    "有效期": Attribute.STORAGE,
    "执行标准": Attribute.OTHER,
    "批准文号": Attribute.OTHER,
    "生产企业": Attribute.OTHER,
    # variants
    "适应证": Attribute.INDICATIONS,
    "主治": Attribute.INDICATIONS,
    "功效": Attribute.INDICATIONS,
    "用途": Attribute.INDICATIONS,
    "用法与用量": Attribute.DOSAGE,
    "用法和用量": Attribute.DOSAGE,
    "用量用法": Attribute.DOSAGE,
    "用法": Attribute.DOSAGE,
    "服用方法": Attribute.DOSAGE,
    "剂型": Attribute.DOSAGE_FORMS,
    "禁忌症": Attribute.CONTRAINDICATIONS,
    "禁忌证": Attribute.CONTRAINDICATIONS,
    "禁用": Attribute.CONTRAINDICATIONS,
    "副作用": Attribute.ADVERSE_REACTIONS,
    "不良反应/副作用": Attribute.ADVERSE_REACTIONS,
    "相互作用": Attribute.INTERACTIONS,
    "药物相互影响": Attribute.INTERACTIONS,
    "警告": Attribute.WARNINGS,
    "特别提示": Attribute.WARNINGS,
    "黑框警告": Attribute.BOXED_WARNING,
    "孕妇用药": Attribute.PREGNANCY,
    "孕妇及哺乳期用药": Attribute.PREGNANCY,
    "妊娠期及哺乳期用药": Attribute.PREGNANCY,
    "哺乳期用药": Attribute.LACTATION,
    "小儿用药": Attribute.PEDIATRIC,
    "儿童及青少年用药": Attribute.PEDIATRIC,
    "老年患者用药": Attribute.GERIATRIC,
    "老年人用药": Attribute.GERIATRIC,
    "肝肾功能不全患者用药": Attribute.SPECIFIC_POPULATIONS,
    "过量": Attribute.OVERDOSAGE,
    "用药过量": Attribute.OVERDOSAGE,
    "药理作用": Attribute.PHARMACOLOGY,
    "药理学": Attribute.PHARMACOLOGY,
    "毒理研究": Attribute.PHARMACOLOGY,
    "作用类别": Attribute.PHARMACOLOGY,
    "药代动力学/药动学": Attribute.PHARMACOLOGY,
    "药动学": Attribute.PHARMACOLOGY,
    "成分": Attribute.DESCRIPTION,
    "主要成份": Attribute.DESCRIPTION,
    "主要成分": Attribute.DESCRIPTION,
    "辅料": Attribute.DESCRIPTION,
    "贮存": Attribute.STORAGE,
    "储藏": Attribute.STORAGE,
    "储存": Attribute.STORAGE,
    "保存": Attribute.STORAGE,
    "贮藏条件": Attribute.STORAGE,
    "用药须知": Attribute.PATIENT_COUNSELING,
    "患者须知": Attribute.PATIENT_COUNSELING,
    "药品分类": Attribute.OTHER,
    "核准日期": Attribute.OTHER,
    "修改日期": Attribute.OTHER,
    "上市许可持有人": Attribute.OTHER,
    "进口药品注册证号": Attribute.OTHER,
    "境内联系人": Attribute.OTHER,
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

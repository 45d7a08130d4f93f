"""Words every part of clinqa reads medicine names with: salts, dose forms, release words, and the Chinese
script ranges. One list each, so a name is stripped the same way when the database is built, when a
question is understood and when a patient's medication list is matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

# Salt and hydrate words of English generic names ("Warfarin Sodium", "Metoprolol Tartrate").
SALT_WORDS: frozenset[str] = frozenset(
    """sodium disodium potassium calcium magnesium hydrochloride hcl dihydrochloride hydrobromide hbr
    bisulfate sulfate sulphate succinate tartrate bitartrate maleate mesylate dimesylate besylate fumarate
    acetate citrate phosphate bromide chloride nitrate hyclate tromethamine meglumine dipropionate propionate
    valerate furoate medoxomil axetil pivoxil cilexetil malate lactate gluconate xinafoate monohydrate dihydrate
    trihydrate hemihydrate sesquihydrate anhydrous monosodium mononitrate pamoate decanoate estolate stearate
    ethylsuccinate oxalate benzoate tosylate hippurate mandelate""".split()
)

# Dose-form, route and release words of product names ("... 5 MG Oral Tablet", "Extended-Release").
DOSE_FORM_WORDS: frozenset[str] = frozenset(
    """tablet tablets caplet caplets capsule capsules softgel softgels chewable solution suspension syrup
    elixir liquid injection injectable infusion cream ointment gel lotion spray inhaler inhalation aerosol
    powder patch patches system film drops suppository ring implant intrauterine syringe prefilled pen kit
    pack oral topical nasal ophthalmic otic rectal vaginal transdermal sublingual buccal metered dose dry
    actuat extended delayed release day hr usp drug""".split()
)

# Route words that end the part of a product name people type ("Acyclovir Topical" -> "Acyclovir").
ROUTE_SUFFIX = re.compile(
    r"\s+(injection|oral inhalation|oral|topical|nasal spray|nasal|ophthalmic|otic|rectal|vaginal|"
    r"transdermal|inhalation|sublingual|buccal|extended[- ]release|delayed[- ]release)\b.*$",
    re.IGNORECASE,
)

_NAME_SUFFIX_WORDS = sorted(SALT_WORDS | {"tablets?", "capsules?", "injection", "solution", "suspension",
                                          r"extended[- ]release", r"delayed[- ]release"})
# A salt or form word after the drug's name ("Naproxen Sodium" -> "Naproxen").
SALT_SUFFIX = re.compile(r"\s+(" + "|".join(_NAME_SUFFIX_WORDS) + r")\b", re.IGNORECASE)

# Chinese script: the unified ideographs with extension A, the compatibility block and extensions B-F.
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
CJK_RUN = re.compile(f"[{CJK_RANGES}]+")

# Chinese names put the salt first and the dosage form last: 盐酸二甲双胍片 -> 二甲双胍.
ZH_SALT_PREFIXES = ("盐酸", "硫酸", "磷酸", "马来酸", "琥珀酸", "酒石酸", "富马酸", "甲磺酸", "枸橼酸", "醋酸",
                    "苯磺酸", "氢溴酸", "乳酸")
ZH_DOSE_FORMS = ("肠溶片", "缓释片", "控释片", "分散片", "咀嚼片", "泡腾片", "含片", "缓释胶囊", "肠溶胶囊",
                 "软胶囊", "胶囊", "片", "颗粒", "干混悬剂", "混悬液", "口服液", "口服溶液", "糖浆", "注射液",
                 "注射剂", "滴眼液", "滴剂", "软膏", "乳膏", "凝胶", "栓", "贴剂", "喷雾剂", "气雾剂")
ZH_SALT = re.compile(f"^({'|'.join(ZH_SALT_PREFIXES)})(?=[{CJK_RANGES}]{{2}})")
ZH_DOSE_FORM = re.compile(f"(?<=[{CJK_RANGES}]{{2}})({'|'.join(ZH_DOSE_FORMS)})$")


def has_cjk(text: str) -> bool:
    return CJK_CHAR.search(text) is not None


def text_lang(text: str) -> Literal["zh", "en"]:
    """"zh" when the text has Chinese characters, else "en" (how queries pick their tokenizer)."""
    return "zh" if has_cjk(text) else "en"


def base_name(name: str) -> str:
    """'Warfarin Sodium' -> 'Warfarin', '阿司匹林肠溶片' -> '阿司匹林': people name the active moiety, not
    the salt or the form."""
    name = ZH_DOSE_FORM.sub("", ZH_SALT.sub("", name.strip()))
    return SALT_SUFFIX.sub("", name).strip()

# Pharmacologic class names (openFDA / DailyMed `pharm_class_*`, as MedicineEntry.classes holds them:
# "Nonsteroidal Anti-inflammatory Drug [EPC]") -> the class words labels use for each other ("NSAIDs"), as keys
# of app.records.interactions.DRUG_CLASSES. The one table: the reader (app.pipeline.read) and the MAG stages
# (app.records.interactions) both read classes through `pharm_class_keys`. EPC, MoA, chemical-structure and
# physiologic-effect names all come through; each pattern is searched in the name without its "[EPC]" suffix,
# and a name may give several keys ("Thiazide Diuretic" -> thiazide, diuretic).
# An antagonist of a class is not a member: "Benzodiazepine Antagonist" (flumazenil), "Opioid Antagonist".
_NOT_ANTAGONIST = r"(?![\w -]*\bantagonist)"
PHARM_CLASS_KEYS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), key)
    for pattern, key in (
        (r"non-?steroidal anti-?inflammatory|anti-?inflammatory agents?, non-?steroidal|"
         r"cyclooxygenase inhibitor", "nsaid"),
        (r"salicylate", "salicylate"),
        (r"\banti-?coagulant|vitamin k (?:antagonist|inhibitor)|\bcoumarins?\b|factor xa inhibitor|"
         r"thrombin inhibitor", "anticoagulant"),
        (r"heparin", "heparin"),
        (r"platelet aggregation inhibitor|decreased platelet aggregation|p2y12|antiplatelet", "antiplatelet"),
        (r"serotonin (?:re)?uptake inhibitor", "ssri"),
        (r"serotonin and norepinephrine reuptake inhibitor|norepinephrine and serotonin reuptake inhibitor",
         "snri"),
        (r"monoamine oxidase inhibitor", "maoi"),
        (r"tricyclic", "tricyclic"),
        (r"angiotensin[- ]converting enzyme inhibitor", "ace_inhibitor"),
        (r"angiotensin (?:2|ii) receptor (?:blocker|antagonist)", "arb"),
        (r"beta[- ]adrenergic (?:blocker|antagonist)|adrenergic beta[12]?-?antagonist", "beta_blocker"),
        (r"calcium channel (?:blocker|antagonist)|dihydropyridine", "calcium_channel_blocker"),
        (r"thiazide", "thiazide"),
        (r"loop diuretic", "loop_diuretic"),
        (r"\bdiuretic|aldosterone antagonist", "diuretic"),
        (r"hmg-?coa reductase inhibitor|hydroxymethylglutaryl-coa reductase inhibitor", "statin"),
        (rf"\bopi(?:oid|ate)s?\b{_NOT_ANTAGONIST}", "opioid"),
        (rf"benzodiazepines?\b{_NOT_ANTAGONIST}", "benzodiazepine"),
        (r"central nervous system depress", "cns_depressant"),
        (r"sulfonylurea|biguanide|hypoglycemic|antidiabetic|\bglinide", "antidiabetic"),
        (r"\binsulins?\b(?!-like)", "insulin"),
        (r"corticosteroid|glucocorticoid", "corticosteroid"),
        (r"proton pump inhibitor", "ppi"),
        (r"cardiac glycoside|digitalis", "cardiac_glycoside"),
        (r"histamine-?1 receptor (?:antagonist|inverse agonist)|histamine h1 receptor antagonist", "antihistamine"),
        (r"anti-?epileptic|anticonvulsant", "antiepileptic"),
        (r"macrolide", "macrolide"),
        (r"quinolone", "fluoroquinolone"),
        (r"cytochrome p450 3a4? inhibitor", "cyp3a4_inhibitor"),
        (r"penicillin-class|^penicillins?$", "penicillin"),
        (r"cephalosporin", "cephalosporin"),
    )
)
_CLASS_SUFFIX = re.compile(r"\s*\[[^\]]*\]\s*$")

# What a class adds when taken with another medicine, in the words labels use for the risk: a label that
# says "drugs that increase bleeding risk" speaks of ibuprofen without naming it or its class.
CLASS_EFFECT_WORDS: dict[str, tuple[str, ...]] = {
    "nsaid": ("bleeding", "hemorrhage", "renal function", "antihypertensive effect"),
    "salicylate": ("bleeding", "hemorrhage"),
    "anticoagulant": ("bleeding", "hemorrhage", "INR"),
    "heparin": ("bleeding", "hemorrhage"),
    "antiplatelet": ("bleeding", "hemorrhage"),
    "ssri": ("bleeding", "serotonin syndrome", "serotonergic"),
    "snri": ("bleeding", "serotonin syndrome", "serotonergic"),
    "maoi": ("serotonin syndrome", "hypertensive crisis"),
    "opioid": ("respiratory depression", "sedation", "CNS depression"),
    "benzodiazepine": ("respiratory depression", "sedation", "CNS depression"),
    "cns_depressant": ("respiratory depression", "sedation", "CNS depression"),
    "ace_inhibitor": ("hyperkalemia", "potassium"),
    "arb": ("hyperkalemia", "potassium"),
    "diuretic": ("hypokalemia", "potassium", "lithium"),
    "beta_blocker": ("bradycardia",),
    "calcium_channel_blocker": ("bradycardia", "hypotension"),
    "antidiabetic": ("hypoglycemia",),
    "insulin": ("hypoglycemia",),
    "cardiac_glycoside": ("digoxin",),
    "macrolide": ("QT",),
    "fluoroquinolone": ("QT", "tendon"),
}


def pharm_class_keys(class_names: Iterable[str]) -> set[str]:
    """The class words (DRUG_CLASSES keys) of a medicine's pharmacologic class names; names no rule knows
    ("Kinase Inhibitor [EPC]") give none."""
    bare = (_CLASS_SUFFIX.sub("", name).strip() for name in class_names)
    return {key for name in bare for pattern, key in PHARM_CLASS_KEYS if pattern.search(name)}

# -- Chinese product names, as people shorten them (app/pipeline/zh_names.py) ------------------------------
# Dose forms and the route or release words before them, longest first where one ends another
# (缓释胶囊 before 胶囊): stripped from the end of a product name, repeatedly (吸入气雾剂 -> 吸入 -> nothing).
ZH_FORM_SUFFIXES: tuple[str, ...] = tuple(sorted(
    """片 胶囊 缓释片 控释片 肠溶片 分散片 咀嚼片 泡腾片 含片 口崩片 口腔崩解片 薄膜衣片 糖衣片 缓释胶囊 控释胶囊
    肠溶胶囊 软胶囊 硬胶囊 胶丸 丸 滴丸 颗粒 颗粒剂 冲剂 散 干混悬剂 混悬液 混悬剂 混悬滴剂 滴剂 口服液 口服溶液 溶液
    糖浆 酊 乳膏 软膏 眼膏 凝胶 凝胶剂 乳剂 洗剂 搽剂 注射液 注射剂 粉针剂 冻干粉 输液 滴眼液 滴耳液 滴鼻液 眼用凝胶
    喷雾剂 鼻喷雾剂 气雾剂 粉雾剂 吸入剂 吸入溶液 吸入气雾剂 吸入粉雾剂 栓 栓剂 阴道栓 贴 贴剂 贴片 透皮贴剂 膏药
    缓释 控释 肠溶 吸入 外用 口服 鼻用 眼用 混悬""".split(), key=len, reverse=True))
# Words before the generic name of a product: 注射用头孢曲松钠, 重组人干扰素α2b.
ZH_NAME_PREFIXES: tuple[str, ...] = ("注射用", "重组人", "小儿")
# Salts before (盐酸二甲双胍) and after (氯沙坦钾, 地塞米松磷酸钠) the active moiety, longest first.
ZH_SALT_PREFIX_WORDS: tuple[str, ...] = tuple(sorted(
    """盐酸 硫酸 硫酸氢 磷酸 马来酸 苯磺酸 甲磺酸 琥珀酸 酒石酸 富马酸 枸橼酸 醋酸 氢溴酸 乳酸 门冬氨酸 苯甲酸
    草酸 双羟萘酸 乙磺酸 对甲苯磺酸 盐酸盐 硝酸 丙酸 糠酸 戊酸 十一酸""".split(), key=len, reverse=True))
ZH_SALT_SUFFIX_WORDS: tuple[str, ...] = tuple(sorted(
    """钠 钾 钙 镁 锌 磷酸钠 琥珀酸钠 钠盐 钾盐 盐酸盐 硫酸盐 磷酸盐 甲磺酸盐 二钠 氨丁三醇 葡甲胺""".split(),
    key=len, reverse=True))
# What is left when a salt word is taken off an inorganic or simple salt (碳酸钙 -> 碳酸): not a medicine's
# name, so the salt stays on.
ZH_NOT_A_MOIETY: frozenset[str] = frozenset(
    "碳酸 硫酸 磷酸 盐酸 醋酸 乳酸 枸橼酸 葡萄糖酸 碳酸氢 氯化 硼酸 硝酸 亚硝酸 硫代硫酸 氢氧化 门冬氨酸".split())
# Greek letters of biological names as people type them: 干扰素α-2b, 干扰素a2b.
GREEK_TO_LATIN: dict[str, str] = {"α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k", "λ": "l", "ω": "w"}

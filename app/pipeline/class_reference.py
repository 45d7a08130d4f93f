"""A medicine of the conversation referred to by its kind: "the blood thinner one", "the blood pressure
pill", "the water pill", "my statin", "the antibiotic", "the diabetes medicine"; in Chinese "那个抗凝的",
"降压药", "降糖的那个", "安眠药", "消炎药" (the same kinds: a Chinese question reaches the same classes).

A kind is a set of class words (indexing.vocabulary.pharm_class_keys over the label's pharmacologic classes)
and, for labels without declared classes, the INN stems and generic names of the kind (warfarin, -pril,
-sartan, -olol, -statin, -cillin). Among the medicines the user mentioned before, those of the kind named
are the focus; none of the kind: the reference says nothing and focus resolution stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.pipeline.context import ConversationContext, Focus, MedicineMention, MedStatus, question_owner
from app.pipeline.zh_script import to_simplified
from indexing.vocabulary import has_cjk, pharm_class_keys


@dataclass(frozen=True, slots=True)
class Kind:
    said: re.Pattern[str]  # how people name the kind
    classes: frozenset[str]  # class words (pharm_class_keys) of its members
    names: re.Pattern[str]  # generic names and INN stems of its members
    said_zh: re.Pattern[str] | None = None  # how people name it in Chinese (no word boundaries to rely on)
    # medicines also given for the kind's purpose though of another class (a gliflozin for heart failure): of the
    # kind only where no medicine of its own classes answers better (see focus_by_kind)
    also: re.Pattern[str] | None = None


# A medicine named by what it is for: "the one I take before breakfast for the acid", "the pills for the tension",
# "his tablets for the sugar", "the pressure one" (how people writing in a second language often name one)
_FOR_WHAT = (r"(?:the|my|his|her|our|that|this) (?:\w+ )?(?:one|ones|pills?|tablets?|medicines?|medications?|"
             r"meds?|capsules?|drops|syrup|injections?)(?:(?![.?!;,]).){{0,40}}?\bfor "
             r"(?:the |my |his |her |their |our )?(?:{topic})|"
             r"(?:the|my|his|her|their) (?:{topic})(?:\s+\w+)? (?:one|pills?|tablets?|medicines?|meds?|capsules?)")


def _kind(said: str, classes: str, names: str, zh: str = "", for_what: str = "", also: str = "") -> Kind:
    phrase = f"{said}|{_FOR_WHAT.format(topic=for_what)}" if for_what else said
    return Kind(re.compile(rf"\b(?:{phrase})\b", re.IGNORECASE), frozenset(classes.split()),
                re.compile(rf"(?:{names})", re.IGNORECASE), re.compile(zh) if zh else None,
                re.compile(rf"(?:{also})", re.IGNORECASE) if also else None)


KINDS: dict[str, Kind] = {
    "anticoagulant": _kind(r"blood[- ]thinn(?:er|ing)s?(?: one| pills?| medicines?| meds?)?|anticoagulants?",
                           "anticoagulant heparin",
                           r"warfarin|coumadin|\w*xaban\b|dabigatran|heparin|enoxaparin|dalteparin",
                           r"抗凝|稀释血液|血液稀释|防(止)?血栓的",
        for_what=r"clots?|blood clots?|thinning the blood|thin the blood"),
    "antiplatelet": _kind(r"antiplatelets?|anti-platelets?|platelet (?:one|pills?|medicines?|meds?)",
                          "antiplatelet",
                          r"aspirin|clopidogrel|ticagrelor|prasugrel|cilostazol|dipyridamole",
                          r"抗血小板"),
    # "the new blood one", "his blood tablets": what people call an anticoagulant or an antiplatelet alike
    "blood_thinning": _kind(r"blood (?:one|ones|pills?|tablets?|meds?|medicines?)",
                            "anticoagulant heparin antiplatelet",
                            r"warfarin|coumadin|\w*xaban\b|dabigatran|heparin|enoxaparin|dalteparin|aspirin|clopidogrel|"
                            r"ticagrelor|prasugrel"),
    "blood_pressure": _kind(r"(?:high )?blood[- ]pressure (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?)|"
                            r"bp (?:pills?|meds?|medicines?)|antihypertensives?",
                            "ace_inhibitor arb beta_blocker calcium_channel_blocker thiazide diuretic loop_diuretic",
                            r"\w+pril\b|\w+sartan\b|\w+olol\b|\w+dipine\b|diltiazem|verapamil|hydrochlorothiazide|"
                            r"chlorthalidone|clonidine|hydralazine|spironolactone|doxazosin|terazosin|prazosin",
                            r"降(血)?压|(高)?血压(的)?药",
        for_what=r"(?:high )?(?:blood )?pressure|tension|hypertension|bp"),
    "diuretic": _kind(r"water (?:pills?|tablets?|one)|diuretics?",
                      "diuretic thiazide loop_diuretic",
                      r"furosemide|bumetanide|torsemide|\w*thiazide\b|chlorthalidone|spironolactone|eplerenone|"
                      r"triamterene|amiloride|indapamide|metolazone",
                      r"利尿|排尿的药|消肿的药",
        for_what=r"water|swelling|fluid"),
    "statin": _kind(r"statins?|cholesterol (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?)",
                    "statin", r"\w+statin\b",
                    r"他汀|降(血)?脂|调脂|降胆固醇|(血脂|胆固醇)(的)?药",
        for_what=r"cholesterol|fats? in the blood"),
    "antibiotic": _kind(r"antibiotics?|anti-biotics?|abx",
                        "penicillin cephalosporin macrolide fluoroquinolone",
                        r"\w+cillin\b|cef\w+|ceph\w+|\w+mycin\b|\w+micin\b|\w+floxacin\b|\w*cycline\b|"
                        r"sulfamethoxazole|trimethoprim|metronidazole|nitrofurantoin|linezolid|vancomycin",
                        # 消炎药: what people in China call an antibiotic
                        r"抗生素|抗菌(药|素|的)|消炎(药|的)",
        for_what=r"(?:the )?infection|(?:chest|ear|urine|tooth|throat) infection"),
    "antidiabetic": _kind(r"diabetes (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?)|"
                          r"(?:blood )?sugar (?:pills?|tablets?|medicines?|meds?)|diabetic (?:medicines?|meds?|pills?)",
                          "antidiabetic insulin",
                          r"metformin|\w+gliptin\b|\w+gliflozin\b|\w+glutide\b|\w+glitazone\b|glipizide|"
                          r"glimepiride|glyburide|insulin|tirzepatide|pramlintide|acarbose|repaglinide|nateglinide",
                          r"降(血)?糖|控糖|(血糖|糖尿病)(的)?药",
        for_what=r"sugar|diabetes|blood sugar"),
    "antidepressant": _kind(r"antidepressants?|depression (?:one|pills?|medicines?|meds?)",
                            "ssri snri tricyclic maoi",
                            r"sertraline|fluoxetine|paroxetine|citalopram|escitalopram|venlafaxine|duloxetine|"
                            r"bupropion|mirtazapine|trazodone|amitriptyline|nortriptyline",
                            r"抗抑郁|抑郁(症)?(的)?药",
        for_what=r"depression|sadness|the mood|mood"),
    # not the "salicylate" class: the only labels declaring it are the aminosalicylates (mesalamine), no painkillers
    "painkiller": _kind(r"pain ?killers?|pain (?:one|pills?|medicines?|meds?)",
                        "nsaid opioid",
                        r"ibuprofen|naproxen|diclofenac|celecoxib|meloxicam|aspirin|acetaminophen|tramadol|"
                        r"oxycodone|hydrocodone|morphine|codeine",
                        r"止(痛|疼)|镇痛|去痛",
        for_what=r"pain|the pain|back pain|headaches?"),
    # "anti-inflammatories" are the NSAIDs (a steroid is "a steroid")
    "anti_inflammatory": _kind(r"anti[- ]?inflammator(?:y|ies)(?: pills?| tablets?| medicines?| meds?| drugs?)?",
                               "nsaid",
                               r"ibuprofen|naproxen|diclofenac|celecoxib|meloxicam|aspirin|indomethacin|etodolac|"
                               r"nabumetone|ketorolac|piroxicam"),
    "antipyretic": _kind(r"fever (?:reducers?|one|pills?|medicines?|meds?)|antipyretics?",
                         "", r"ibuprofen|acetaminophen|aspirin|naproxen",
                         r"退(烧|热)|解热"),
    "steroid": _kind(r"steroids?|corticosteroids?", "corticosteroid",
                     r"prednisone|prednisolone|methylprednisolone|dexamethasone|hydrocortisone|budesonide",
                     r"激素|类固醇"),
    "acid": _kind(r"(?:acid|reflux|heartburn|stomach) (?:one|pills?|medicines?|meds?)|antacids?",
                  "ppi", r"\w+prazole\b|famotidine|ranitidine|cimetidine",
                  r"胃药|抑酸|护胃|制酸|抗酸|胃酸的药",
        for_what=r"acid|reflux|heartburn|stomach|gastritis|ulcer|the stomach"),
    "hypnotic": _kind(r"sleeping (?:pills?|tablets?|one)|sleep (?:aids?|pills?|medicines?|meds?)|hypnotics?",
                      "benzodiazepine",
                      r"zolpidem|zaleplon|eszopiclone|zopiclone|\w+zolam\b|\w+azepam\b|suvorexant|lemborexant|"
                      r"daridorexant|ramelteon|doxepin|doxylamine",
                      r"安眠|助眠|催眠|睡(觉|眠)(的|用的)?药",
        for_what=r"sleep|sleeping|insomnia"),
    "benzodiazepine": _kind(r"benzos?|benzodiazepines?",
                            "benzodiazepine", r"\w+azepam\b|\w+azolam\b|chlordiazepoxide|clobazam|clorazepate",
                            r"苯二氮|安定类"),
    "decongestant": _kind(r"decongestants?", "",
                          r"pseudoephedrine|phenylephrine|oxymetazoline|xylometazoline|naphazoline",
                          r"减充血剂|鼻塞(的)?药"),
    "antihistamine": _kind(r"antihistamines?|allergy (?:one|pills?|tablets?|medicines?|meds?)",
                           "antihistamine",
                           r"cetirizine|loratadine|fexofenadine|desloratadine|diphenhydramine|chlorpheniramine|"
                           r"hydroxyzine",
                           r"抗过敏|抗组胺|过敏(的)?药",
        for_what=r"allerg(?:y|ies)|hay fever"),
    "antiepileptic": _kind(r"anti-?epileptics?|anticonvulsants?|seizure (?:one|pills?|medicines?|meds?)",
                           "antiepileptic",
                           r"levetiracetam|lamotrigine|valpro\w*|divalproex|carbamazepine|oxcarbazepine|phenytoin|"
                           r"topiramate|lacosamide|phenobarbital",
                           r"抗癫痫|癫痫(的)?药",
        for_what=r"epilepsy|seizures?|fits|convulsions?"),
    "dementia": _kind(r"(?:memory|dementia|alzheimer'?s) (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?|"
                      r"patch(?:es)?)",
                      "cholinesterase_inhibitor", r"donepezil|memantine|galantamine|rivastigmine",
                      r"(?:老年痴呆|痴呆|失智|记忆力?)(?:的)?药",
        for_what=r"memory|dementia|alzheimer'?s"),
    # "19F on Yasmin" ... "does the pill still work?": the contraceptive said before
    "contraceptive": _kind(r"(?:the|my|her|your) pill(?! for\b)|(?:contraceptive|birth[- ]control|combined|mini|"
                           r"progestogen[- ]only) pills?|oral contraceptives?|(?:the|my|her) contraceptive",
                           "", r"ethinyl|drospirenone|levonorgestrel|norethindrone|norgestimate|desogestrel|"
                           r"norgestrel|etonogestrel|dienogest|ulipristal",
                           r"避孕药"),
    # "is that ok with the gout tablet?" after colchicine and atorvastatin: the one for gout
    "gout": _kind(r"gout (?:one|pills?|tablets?|medicines?|medications?|meds?|drugs?)", "",
                  r"colchicine|allopurinol|febuxostat|probenecid|lesinurad",
                  r"痛风(?:的)?(?:药|那个|那种)|降尿酸(?:的)?药",
        for_what=r"gout|uric acid|(?:the )?gout flares?"),
    "migraine": _kind(r"migraine (?:one|pills?|tablets?|medicines?|medications?|meds?|spray|injections?)|triptans?",
                      "", r"\w+triptan\b|rimegepant|ubrogepant|zavegepant|atogepant|erenumab|galcanezumab|"
                          r"fremanezumab|eptinezumab",
                      r"偏头痛(?:的)?(?:药|那个|那种)|曲普坦",
        for_what=r"migraines?|(?:the |my |his |her )?migraine attacks?"),
    "nerve_pain": _kind(r"nerve (?:pain )?(?:one|pills?|tablets?|capsules?|medicines?|medications?|meds?)", "",
                        r"gabapentin|pregabalin|duloxetine|amitriptyline|nortriptyline|carbamazepine",
                        r"神经痛(?:的)?(?:药|那个|那种)",
        for_what=r"(?:the |my |his |her )?nerve pain|neuropathy|neuropathic pain|sciatica"),
    "anxiety": _kind(r"anxiety (?:one|pills?|tablets?|medicines?|medications?|meds?)|nerve pills|"
                     r"pills? for (?:my|his|her) nerves", "benzodiazepine",
                     r"\w+azepam\b|\w+azolam\b|buspirone|hydroxyzine",
                     r"抗焦虑|焦虑(?:的)?(?:药|那个|那种)",
        for_what=r"anxiety|(?:my |his |her )?nerves|panic(?: attacks)?"),
    # "my HRT", "her hormone replacement patches": the menopausal estrogen said before, else which one
    "hormone_replacement": _kind(r"hrt|hormone replacement(?: therapy)?|menopaus(?:e|al) hormones?(?: therapy)?",
                                 "", r"(?<!ethinyl )\bestradiol\b|\bestrogens?\b|estropipate",
                                 r"激素替代|雌激素",
        for_what=r"(?:the )?menopause|hot (?:flushes|flashes)|night sweats"),
    "thyroid": _kind(r"thyroid (?:one|pills?|tablets?|medicines?|meds?)",
                     "", r"levothyroxine|liothyronine|methimazole|propylthiouracil",
                     r"甲状腺(的)?(药|那个|那种)",
        for_what=r"thyroid|hypothyroidism"),
    # "the heart one", 心脏那个: what people call a beta blocker, an antiarrhythmic, digoxin or a nitrate they take
    # for the heart (an anticoagulant for the rhythm is "the blood thinner")
    "cardiac": _kind(r"heart (?:one|pills?|tablets?|medicines?|meds?)|cardiac (?:medicines?|meds?|drugs?)",
                     "beta_blocker antiarrhythmic cardiac_glycoside nitrate",
                     r"\w+olol\b|digoxin|amiodarone|dronedarone|sotalol|flecainide|propafenone|diltiazem|verapamil|"
                     r"nitroglycerin|isosorbide|ivabradine|ranolazine",
                     r"心脏(的)?(药|那个|那种)|治心脏|护心(的)?药",
        for_what=r"heart|the heart|heart rhythm|palpitations|angina",
        also=r"\w+gliflozin\b|sacubitril|spironolactone|eplerenone"),
}


# one medicine described by two purposes: "the new diabetes/heart one", "the sugar and heart tablet"
_TWO_PURPOSES = re.compile(r"\b([a-z]+)\s*(?:/|&|\+|\band\b|\bor\b|\balso\b)\s*([a-z]+)\s+"
                           r"(one|ones|pills?|tablets?|medicines?|medications?|meds?|drugs?)\b", re.IGNORECASE)


def _each_purpose_said(question: str) -> str:
    """ "the diabetes/heart one" as "the diabetes one heart one": each purpose said with the noun."""
    return _TWO_PURPOSES.sub(lambda m: f"{m[1]} {m[3]} {m[2]} {m[3]}", question)


def kinds_said(question: str) -> list[str]:
    """The kinds of medicine a question refers to by kind ("the blood thinner one", "那个抗凝的" ->
    anticoagulant)."""
    question = _each_purpose_said(question)
    if has_cjk(question):
        simplified = to_simplified(question)
        return [name for name, kind in KINDS.items()
                if kind.said.search(question) or (kind.said_zh is not None and kind.said_zh.search(simplified))]
    return [name for name, kind in KINDS.items() if kind.said.search(question)]


# ("the new blood one" is one said before: a discharge list's new medicine)
_INDEFINITE = re.compile(r"\b(?:a|an|another|some|any)\s+(?:new\s+)?$|"
                         r"(?<!\bthe )(?<!\bmy )(?<!\bhis )(?<!\bher )(?<!\btheir )\bnew\s+$", re.IGNORECASE)


# "Not the blood-pressure one. The one I take for the acid": the kind said as the one not meant
_DENIED = re.compile(r"\bnot\s+(?:the|my|his|her|their|that)?\s*$", re.IGNORECASE)


# what follows a kind said in Chinese that takes it back: "……不对不对，我说反了"
_ZH_TAKEN_BACK = re.compile(r"[…。.，,、\s]{0,8}(?:不对|不是|说反了|说错了|搞错了|错了)")


# "诊所也给她开了抗生素", "又加了一种降压药": a kind newly prescribed, not one said before
_ZH_NEW = re.compile(r"(?:开了|开|加了|换了|一种|一些|一个|新的|新)$")


def _referred(kind: str, question: str) -> bool:
    """Whether the question says the kind as one already known ("the blood thinner", "my antibiotic"), at least
    once, rather than only as a new one ("an antibiotic", "another painkiller", "给她开了抗生素")."""
    k = KINDS[kind]
    question = _each_purpose_said(question)
    if has_cjk(question):
        simplified = to_simplified(question)
        found = list(k.said_zh.finditer(simplified)) if k.said_zh is not None else []
        # ("甲状腺那个……不对不对，我说反了，是心脏那个": the kind taken back is not the one meant)
        return not found or any(_ZH_NEW.search(simplified[: m.start()]) is None
                                and _ZH_TAKEN_BACK.match(simplified[m.end():]) is None for m in found)
    return any(_INDEFINITE.search(question[: m.start()]) is None and _DENIED.search(question[: m.start()]) is None
               for m in k.said.finditer(question))


def kinds_referred(question: str) -> list[str]:
    """The kinds a question refers to as medicines already known ("the blood thinner"), not as new ones."""
    return [k for k in kinds_said(question) if _referred(k, question)]


_AS_PARTNER = re.compile(r"\b(?:with|alongside|on top of|beside|besides|and)\s+(?:my|the|his|her|their|your|our)?\s*"
                         r"(?:new\s+|old\s+|other\s+)?$", re.IGNORECASE)


def kinds_as_partner(question: str) -> list[str]:
    """The kinds a question names as what something is taken with ("ibuprofen with the blood thinner")."""
    if has_cjk(question):
        return []
    return [k for k in kinds_referred(question)
            if any(_AS_PARTNER.search(question[: m.start()]) for m in KINDS[k].said.finditer(question))]


_THE_NEW = re.compile(r"\bthe (?:new|newer|newest|latest)\b|新(?:加|开)?的", re.IGNORECASE)


def is_of_kind(kind: str, name: str, class_names: Iterable[str]) -> bool:
    """Whether a medicine (its name, its label's pharmacologic class names) is of the kind."""
    k = KINDS[kind]
    return bool(pharm_class_keys(class_names) & k.classes) or k.names.search(name) is not None


def _kind_fit(kinds: list[str], name: str, class_names: Iterable[str]) -> float:
    """How well a medicine fits the kinds a question names: 1 for each kind it is of, a half for each it is
    only also given for (a gliflozin for "the heart one")."""
    fit = 0.0
    for kind in kinds:
        also = KINDS[kind].also
        if is_of_kind(kind, name, class_names):
            fit += 1.0
        elif also is not None and also.search(name):
            fit += 0.5
    return fit


def focus_by_kind(question: str, focus: Focus | None, context: ConversationContext, question_turn: int,
                  names: dict[str, str], classes: dict[str, tuple[str, ...]]) -> Focus | None:
    """The focus a reference by kind gives: the medicines mentioned before the question that are of the kind
    it names, most recently mentioned first (two of a kind in one turn: both); None or the focus as it
    was when the question names no kind or no medicine of it was mentioned."""
    # (a kind said with "an" or "another" is a new medicine, not one said before: "the dentist has put her on an
    # antibiotic too" after the user's own clarithromycin)
    said = kinds_referred(question)
    if focus is None or not said:
        return focus
    earlier = context.latest(before_turn=question_turn)

    def fit(m: MedicineMention) -> float:
        if m.medicine_id is None:
            return 0.0
        return _kind_fit(said, f"{names.get(m.medicine_id, m.surface)} {m.surface}", classes.get(m.medicine_id, ()))

    fits = {id(m): fit(m) for m in earlier}
    best = max(fits.values(), default=0.0)
    if best < 1.0:
        return focus
    # "the diabetes/heart one" after bisoprolol and dapagliflozin: the one that fits both purposes
    of_kind = [m for m in earlier if fits[id(m)] == best]
    # "my diabetes pill" after "My husband takes metformin and I take glimepiride": the asker's own of that kind
    owner = question_owner(question)
    owned = [m for m in of_kind if m.owner is owner] if owner is not None else []
    if owned:
        of_kind = owned
    latest_turn = of_kind[0].turn
    chosen = [m for m in of_kind if m.turn == latest_turn]
    # ("scratch what I said about the aspirin they stopped that, it's only the clopidogrel now": not one stopped)
    chosen = [m for m in chosen if m.status is not MedStatus.STOPPED] or chosen
    if _THE_NEW.search(question) and any(m.status is MedStatus.NEW for m in chosen):
        # "the new blood one" of a discharge list with aspirin to continue and clopidogrel new
        chosen = [m for m in chosen if m.status is MedStatus.NEW]
    return Focus(chosen, [], {**focus.scores, **{m.medicine_id or m.surface: 9.0 for m in chosen}})

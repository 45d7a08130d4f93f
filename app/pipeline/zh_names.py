"""Chinese medicine names as people say them: a product name (盐酸二甲双胍缓释片, 重组人干扰素α2b注射液,
氯沙坦钾片) is shortened by the salt, the dose form, "注射用"/"重组人", a brand's "X牌" and leading digits;
full-width letters, Greek letters and hyphens are folded (干扰素α-2b = 干扰素α2b = 干扰素a2b).

Chinese has no spaces, so names are found in a sentence by looking up every substring of a compact form of it
(`compact`): Chinese characters, Latin letters and digits only, each run between punctuation a segment of its
own so that no name is read across a comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.pipeline.zh_script import to_simplified
from app.text_input import for_matching
from indexing.vocabulary import (
    CJK_CHAR,
    CJK_RANGES,
    GREEK_TO_LATIN,
    ZH_FORM_SUFFIXES,
    ZH_NAME_PREFIXES,
    ZH_NOT_A_MOIETY,
    ZH_SALT_PREFIX_WORDS,
    ZH_SALT_SUFFIX_WORDS,
)

_GREEK = str.maketrans(GREEK_TO_LATIN)
# What a name is made of: Chinese characters, Latin letters, digits, and the joiners people put between
# them (干扰素α-2b, 维生素 B12). Anything else (punctuation) ends a segment.
_SEGMENT = re.compile(f"[{CJK_RANGES}a-z0-9{''.join(GREEK_TO_LATIN)}\\-·‧ ]+")
_DROP = re.compile(f"[^{CJK_RANGES}a-z0-9]")
_BRAND_MARK = re.compile(f"^[{CJK_RANGES}]{{1,4}}牌(?=[{CJK_RANGES}])")
_LEADING_DIGITS = re.compile(f"^[0-9]+(?=[{CJK_RANGES}])")
_TRAILING_LATIN = re.compile(f"(?<=[{CJK_RANGES}])[a-z0-9]+$")
MIN_CJK = 2  # a shortened name keeps at least two Chinese characters

# Characters of drug names and the ones people write in their place (same or near sound, same phonetic
# part): 二甲双瓜 for 二甲双胍, 阿斯匹林 for 阿司匹林, 奥美拉挫 for 奥美拉唑. A name is read through at most
# one of them, and only when no other name is as close (app.pipeline.lexicon). Session 9 added sounds people
# merge (丁 for 定/啶: 氯雷他丁; s for sh: 瑞苏伐他汀, 奥斯康定; 齐/其 for 奇: 阿齐霉素; 新/心/欣 for 辛:
# 坦索罗新; 法 for 伐: 利法沙班; 洛 for 乐: 倍他洛克; 落 for 洛: 美托落尔) and the everyday characters typed
# for a chemistry one at a name's start (FIRST_CONFUSABLE: 绿吡格雷, 盼托拉唑, 颉沙坦 ...); then, for the characters
# most used inside names of four characters or more that had no group, the everyday characters of the same sound
# (toneless pinyin; a nasal n/ng or s/sh pair where people merge them), written by hand.
_CONFUSED_GROUPS = """司斯丝 施斯 胍瓜呱 唑挫锉座坐 芬分酚 硝销消 啶定锭丁 利立力丽 林临琳淋 嗪秦琴 肟污 噻塞赛 酮铜同
    沙砂纱莎 莫漠摸 普谱浦 嘧密蜜 咪米眯 哌派 吡比毕 胺安氨按 醇纯 酯脂 韦伟维 霉梅酶 氟弗福佛 洛络罗落骆 汀丁町
    卡咖 拉啦 西昔希息 替提 尼妮泥 酸算 钠纳 钾甲 钙盖 苯本 磺黄 嘌漂 呤令玲 舒书苏 孢包 曲屈 他它她 坦担
    酰先 氯绿 溴嗅 碘点 氢轻 羟强 喹奎 泊伯 肼井 吲引 哚朵 胱光 腺线 苷甘 瑞睿 诺若 奥澳 格革 依伊衣 阿啊
    美每 托拖 伐罚法 贝倍 达答 非菲 罗萝 拉腊 巴吧 妥拓 雷蕾 替剃 平萍苹 地的 多朵 卡佧 胍呱
    奇齐其 辛新心欣 乐洛 泮盼 缬颉撷 呋夫肤
    素苏速 钠纳那 克可科 珠株朱 列烈裂 尔而儿耳 帕怕 布步部 明名铭 索锁所梭 肽太泰态 奈耐乃 氧养阳洋 鲁卢路露
    星兴型形 松送宋 马玛码 匹皮披 德得 基机鸡吉 来莱赖 仑伦轮 尤优由 因音阴 糖唐 丙并冰 碱减简 硫流留 兰蓝
    加家佳嘉 扎札 隆龙笼 净静晶 胺安氨按铵 苄卞变 滨宾 班斑般 麦迈卖 孢包胞 佐左做 格革戈哥 度杜 非菲啡
    培陪配 宁凝柠 敏民 膦磷林 葡普谱 西昔希息烯 泼波坡 戊五午""".split()
# A name's first character is read through only when it is one of these: characters of chemistry that few
# other words use, for which people type an everyday one of the same sound (绿 for 氯, 盼 for 泮, 派 for 哌).
# Other first characters are not (Chinese generic names that differ in their first character are different
# medicines too often).
FIRST_CONFUSABLE = frozenset("氯缬泮噻哌吡呋嘧咪氨螺")
# A three-character name is read through one confusable character only where the name has a chemistry character
# there (螺内脂 for 螺内酯, 甲硝坐 for 甲硝唑): people type the everyday character of its sound. Other three-
# character names are not (布洛分 is not read: Chinese generic names of three characters differ by one too often).
CHEMISTRY_CHARACTERS = frozenset("酯唑胍嗪噻啶哌吡呋嘧咪羟吲哚肼酮醇苷肽膦铵烯嘌呤酰磺喹胱缬泮酚胺肟")
CONFUSABLE: dict[str, str] = {}
for _group in _CONFUSED_GROUPS:
    for _ch in _group:
        CONFUSABLE[_ch] = CONFUSABLE.get(_ch, "") + _group.replace(_ch, "")


# Two-character brands are also parts of ordinary words: 康可 in 健康可能, 管通 in 血管通畅, 盖平 in 膝盖平时, 得妥
# in 觉得妥当, 意美 in 注意美林, 类克 in 这类克拉霉素. A two-character name is not read where the character
# before it and its first character, or its last character and the one after it, make one of these words
# (the words of patients' questions and labels that end with a first character, or start with a last
# character, of a two-character name of the table). 期间 after a name keeps it (吃安定期间, not 定期).
WORDS_AROUND_SHORT_NAMES = frozenset("""
    健康 安康 小康 血管 气管 食管 导管 插管 尿管 胆管 不管 尽管 保管 平衡 权衡 均衡 觉得 记得 不得 晓得 懂得
    值得 使得 获得 显得 舍得 免得 省得 停止 禁止 防止 阻止 终止 为止 截止 静脉 动脉 膝盖 覆盖 不安 平安 心安
    公安 晚安 早安 这类 那类 各类 种类 此类 同类 该类 一类 分类 人类 注意 满意 同意 愿意 故意 在意 随意 不必
    务必 何必 未必 势必 表达 到达 发达 温和 缓和 柔和 怀孕 避孕 备孕 吸烟 抽烟 戒烟 定期 定时 通畅 顺畅 舒畅
    流畅""".split())
_KEEPS_A_NAME_BEFORE = ("期间",)
# Ordinary words that begin with a two-character name: 甘油三酯 (triglycerides) is no 甘油 (glycerin)
_WORDS_STARTING_WITH_SHORT_NAMES = ("甘油三酯", "甘油酯")
SHORT_NAME = 2


def inside_words(text: str, start: int, end: int) -> bool:
    """Whether the two-character name at text[start:end] is read across ordinary words (see
    WORDS_AROUND_SHORT_NAMES); longer names are never."""
    if end - start != SHORT_NAME:
        return False
    if text.startswith(_WORDS_STARTING_WITH_SHORT_NAMES, start):
        return True
    if start > 0 and text[start - 1 : start + 1] in WORDS_AROUND_SHORT_NAMES:
        return True
    return (end < len(text) and text[end - 1 : end + 1] in WORDS_AROUND_SHORT_NAMES
            and not text.startswith(_KEEPS_A_NAME_BEFORE, end))


def salt_length(text: str, start: int) -> int:
    """The length of the salt word at `start` (钾 in 氯沙坦钾氢氯噻嗪), 0 when none."""
    return next((len(salt) for salt in (*ZH_SALT_PREFIX_WORDS, *ZH_SALT_SUFFIX_WORDS) if text.startswith(salt, start)),
                0)


def product_form_follows(text: str, end: int) -> bool:
    """Whether a dose form (片, 缓释片, 胶囊 ...), after any salt word, follows at `end`: two names written
    together and then a form are one combination product (厄贝沙坦氢氯噻嗪片, 氨氯地平阿托伐他汀钙片), not two
    medicines ("华法林地高辛能一起吃吗" has no form after them)."""
    return text.startswith(ZH_FORM_SUFFIXES, end + salt_length(text, end))


def compact(text: str) -> str:
    """Matching form of one name: NFKC, case-folded, Greek letters as Latin, joiners and spaces dropped."""
    return _DROP.sub("", to_simplified(for_matching(text).casefold().translate(_GREEK)))


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of name characters of a text in compact form, and where each of its characters came from."""

    text: str
    origin: tuple[int, ...]  # offset in the original text of each character of `text`


def segments(text: str) -> list[Segment]:
    """The compact runs of a text that may hold a Chinese name (those with at least one Chinese character).
    NFKC keeps the length of Chinese and full-width Latin text, so offsets are those of the text given."""
    folded = to_simplified(for_matching(text).casefold().translate(_GREEK))
    out: list[Segment] = []
    for m in _SEGMENT.finditer(folded):
        if not CJK_CHAR.search(m.group(0)):
            continue
        chars = [(ch, m.start() + i) for i, ch in enumerate(m.group(0)) if not _DROP.match(ch)]
        out.append(Segment("".join(c for c, _ in chars), tuple(o for _, o in chars)))
    return out


def _cjk_count(text: str) -> int:
    return len(CJK_CHAR.findall(text))


def _strip_form(name: str) -> str:
    """Dose-form, route and release words off the end, repeatedly: 硫酸沙丁胺醇吸入气雾剂 -> 硫酸沙丁胺醇."""
    changed = True
    while changed:
        changed = False
        for form in ZH_FORM_SUFFIXES:
            if name.endswith(form) and _cjk_count(name[: -len(form)]) >= MIN_CJK:
                name, changed = name[: -len(form)], True
                break
    return name


def _strip_salt(name: str) -> str:
    """Salt words before and after the moiety: 盐酸二甲双胍 -> 二甲双胍, 地塞米松磷酸钠 -> 地塞米松; an
    inorganic salt keeps its name (碳酸钙 stays)."""
    for salt in ZH_SALT_PREFIX_WORDS:
        rest = name[len(salt):]
        if name.startswith(salt) and _cjk_count(rest) >= MIN_CJK and CJK_CHAR.match(rest):
            name = rest
            break
    for salt in ZH_SALT_SUFFIX_WORDS:
        rest = name[: -len(salt)]
        if name.endswith(salt) and _cjk_count(rest) >= MIN_CJK and rest not in ZH_NOT_A_MOIETY \
                and not rest.endswith("化"):
            name = rest
            break
    return name


def _strip_prefix(name: str) -> str:
    name = _LEADING_DIGITS.sub("", _BRAND_MARK.sub("", name))
    for prefix in ZH_NAME_PREFIXES:
        if name.startswith(prefix) and _cjk_count(name[len(prefix):]) >= MIN_CJK:
            return name[len(prefix):]
    return name


def name_variants(name: str, brand: bool = False) -> list[str]:
    """The names people use for a product, most specific first (the compact full name first):
    重组人干扰素α2b注射液 -> 重组人干扰素a2b注射液, 干扰素a2b注射液, 重组人干扰素a2b, 干扰素a2b.
    `brand`: a brand name also loses a trailing strength or type mark (诺和灵R -> 诺和灵)."""
    full = compact(name)
    if not CJK_CHAR.search(full):
        return []
    out = [full]
    unprefixed = _strip_prefix(full)
    for start in dict.fromkeys([full, unprefixed]):
        salted = _strip_form(start)
        for variant in (start, salted, _strip_salt(start), _strip_salt(salted)):
            out.append(variant)
    if brand:
        out += [_TRAILING_LATIN.sub("", v) for v in out]
    return [v for v in dict.fromkeys(out) if _cjk_count(v) >= MIN_CJK]


def base_variant(name: str) -> str:
    """The shortest name of a product: its moiety without prefix, salt or form (阿托伐他汀钙片 -> 阿托伐他汀)."""
    variants = name_variants(name)
    return min(variants, key=len) if variants else compact(name)


def form_words(rest: str) -> str:
    """What is left of a product's name besides its moiety, without the salt words (盐酸片 -> 片): how far
    the product is from the plain one, and the words that tell it apart."""
    for salt in (*ZH_SALT_PREFIX_WORDS, *ZH_SALT_SUFFIX_WORDS):
        rest = rest.replace(salt, "")
    return rest


# Words of a question that point at a dose form: "吃几粒" is a capsule, "喂多少毫升" a liquid, "滴几次"
# drops, "喷/吸" an inhaler or spray, "打/针" an injection, "涂/抹" a cream or gel, "冲" granules.
FORM_CUES: dict[str, tuple[str, ...]] = {
    "粒": ("胶囊", "丸"), "胶囊": ("胶囊",), "片": ("片",),
    "毫升": ("液", "糖浆", "滴剂"), "ml": ("液", "糖浆", "滴剂"),
    "喂": ("混悬", "口服液", "糖浆", "滴剂"), "喝": ("口服液", "糖浆", "混悬", "颗粒"),
    "滴": ("滴",), "眼": ("滴眼液", "眼膏"),
    "喷": ("喷雾剂", "气雾剂"), "吸": ("气雾剂", "粉雾剂", "吸入"),
    "打": ("注射",), "针": ("注射",), "输液": ("注射",),
    "涂": ("乳膏", "软膏", "凝胶"), "抹": ("乳膏", "软膏", "凝胶"), "擦": ("乳膏", "软膏", "凝胶"),
    "冲": ("颗粒", "散"), "贴": ("贴",), "塞": ("栓",),
}


def form_cue_fit(forms: str, window: str) -> int:
    """How many of the window's dose-form cues the product's form words fit (布洛芬缓释胶囊 for "吃几粒")."""
    return sum(1 for cue, words in FORM_CUES.items() if cue in window and any(w in forms for w in words))


def longest_common_run(a: str, b: str) -> int:
    """Length of the longest substring the two share (a short, closest-product tie-break)."""
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            best = max(best, k)
    return best

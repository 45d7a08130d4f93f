"""Chinese names as people say them (issue 19): product names shortened by salt, dose form, prefixes, brand
marks and digits; full-width, Greek-letter and hyphen variants; names inside a sentence; the closest product
among several that share a name."""

from __future__ import annotations

import pytest

from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.zh_names import base_variant, compact, name_variants, segments
from indexing.store import MedicineEntry


def _zh(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "zh", "", ("dosage", "interactions"))


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("盐酸二甲双胍缓释片", "二甲双胍"),
        ("氯沙坦钾片", "氯沙坦"),
        ("阿托伐他汀钙片", "阿托伐他汀"),
        ("地塞米松磷酸钠注射液", "地塞米松"),
        ("硫酸氢氯吡格雷片", "氯吡格雷"),
        ("苯磺酸氨氯地平片", "氨氯地平"),
        ("马来酸依那普利片", "依那普利"),
        ("甲磺酸多沙唑嗪缓释片", "多沙唑嗪"),
        ("琥珀酸美托洛尔缓释片", "美托洛尔"),
        ("酒石酸美托洛尔片", "美托洛尔"),
        ("硫酸沙丁胺醇吸入气雾剂", "沙丁胺醇"),
        ("奥美拉唑肠溶胶囊", "奥美拉唑"),
        ("布洛芬混悬液", "布洛芬"),
        ("对乙酰氨基酚混悬滴剂", "对乙酰氨基酚"),
        ("注射用头孢曲松钠", "头孢曲松"),
        ("重组人干扰素α2b注射液", "干扰素a2b"),
        ("蒙脱石散", "蒙脱石"),
        ("双氯芬酸钠凝胶", "双氯芬酸"),
        ("莫匹罗星软膏", "莫匹罗星"),
        ("左氧氟沙星滴眼液", "左氧氟沙星"),
        ("999感冒灵颗粒", "感冒灵"),
    ],
)
def test_product_names_shorten_to_the_moiety(name: str, base: str) -> None:
    assert base_variant(name) == base
    assert compact(name) == name_variants(name)[0]  # the full name comes first


@pytest.mark.parametrize("name", ["碳酸钙片", "氯化钾缓释片", "葡萄糖酸钙口服溶液"])
def test_inorganic_salts_keep_their_names(name: str) -> None:
    """碳酸钙 is the medicine: taking 钙 off would leave 碳酸, which names nothing."""
    assert base_variant(name) in {"碳酸钙", "氯化钾", "葡萄糖酸钙"}


@pytest.mark.parametrize("written", ["干扰素α-2b", "干扰素α2b", "干扰素a-2b", "干扰素A2B", "干扰素ａ－２ｂ",
                                     "干扰素 α 2b"])
def test_greek_full_width_and_hyphen_variants_fold_together(written: str) -> None:
    assert compact(written) == "干扰素a2b"


def test_brands_lose_a_trailing_type_mark() -> None:
    assert "诺和灵" in name_variants("诺和灵R", brand=True)
    assert "诺和灵" not in name_variants("诺和灵R")  # a generic name keeps its letters (维生素B12 is not 维生素B)


def test_segments_split_at_punctuation() -> None:
    texts = [s.text for s in segments("我在吃华法林，可以同时吃阿司匹林吗？")]
    assert texts == ["我在吃华法林", "可以同时吃阿司匹林吗"]


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _zh("ibu-tab", "布洛芬片"),
        _zh("ibu-sr", "布洛芬缓释胶囊", "芬必得"),
        _zh("ibu-susp", "布洛芬混悬液", "美林"),
        _zh("met-tab", "盐酸二甲双胍片", "格华止"),
        _zh("met-er", "盐酸二甲双胍缓释片"),
        _zh("levo-tab", "盐酸左氧氟沙星片"),
        _zh("levo-eye", "左氧氟沙星滴眼液"),
        _zh("ifn", "重组人干扰素α2b注射液"),
        _zh("insulin", "重组人胰岛素注射液", "诺和灵R"),
        _zh("clop", "硫酸氢氯吡格雷片", "波立维"),
        _zh("warf", "华法林钠片"),
        _zh("asp", "阿司匹林肠溶片"),
        _zh("vitb12", "维生素B12片"),
    ])


def _ids(lexicon: MedicineLexicon, text: str) -> list[str | None]:
    return [m.medicine_id for m in lexicon.find(text)]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("我在吃华法林，可以同时吃阿司匹林吗？", ["warf", "asp"]),
        ("二甲双胍饭后吃吗", ["met-tab"]),  # the plain product, not the extended-release one
        ("二甲双胍缓释片能掰开吗", ["met-er"]),
        ("二甲双胍缓释的能掰开吗", ["met-er"]),  # the words after the name tell the product
        ("布洛芬混悬液喂多少", ["ibu-susp"]),
        ("孩子发烧，美林怎么吃", ["ibu-susp"]),
        ("左氧氟沙星眼药水一天滴几次", ["levo-eye"]),
        ("左氧氟沙星一天吃几片", ["levo-tab"]),
        ("左氧氟沙星一天滴几次", ["levo-eye"]),  # the dose-form cue words of the question
        ("布洛芬一次吃几粒", ["ibu-sr"]),
        ("布洛芬给孩子喂几毫升", ["ibu-susp"]),
        ("干扰素α-2b有什么副作用", ["ifn"]),
        ("打干扰素a-2b期间能喝酒吗", ["ifn"]),
        ("诺和灵R饭前多久打", ["insulin"]),
        ("氯吡格雷和阿司匹林", ["clop", "asp"]),
        ("盐酸二甲双胍片和波立维", ["met-tab", "clop"]),
        ("维生素B12片一天几片", ["vitb12"]),
    ],
)
def test_names_in_sentences(lexicon: MedicineLexicon, text: str, ids: list[str]) -> None:
    assert _ids(lexicon, text) == ids


def test_a_name_with_a_trailing_digit_is_not_read_inside_a_longer_one() -> None:
    lex = MedicineLexicon([_zh("vit-b-one", "维生素B1片"), _zh("vit-b-twelve", "维生素B12片")])
    assert _ids(lex, "维生素B12怎么吃") == ["vit-b-twelve"]
    assert _ids(lex, "维生素B1怎么吃") == ["vit-b-one"]


def test_chinese_vaccines_and_supplements_are_products_not_in_the_database(lexicon: MedicineLexicon) -> None:
    found = lexicon.find("打完乙肝疫苗能吃布洛芬片吗")
    assert [(m.surface, m.medicine_id) for m in found] == [("乙肝疫苗", None), ("布洛芬片", "ibu-tab")]
    assert [m.medicine_id for m in lexicon.find("益生菌和二甲双胍")] == [None, "met-tab"]


def test_resolve_takes_shortened_chinese_names(lexicon: MedicineLexicon) -> None:
    assert lexicon.resolve("二甲双胍") == "met-tab"
    assert lexicon.resolve("干扰素α-2b") == "ifn"
    assert lexicon.resolve("氯吡格雷") == "clop"


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("二甲双瓜饭前吃还是饭后吃", ["met-tab"]),  # 瓜 for 胍
        ("阿斯匹林肠溶片", ["asp"]),  # 斯 for 司
        ("二甲双瓜缓释片能掰开吗", ["met-er"]),  # the closest product still decides
    ],
)
def test_a_confusable_character_in_a_long_name_is_read_through(
    lexicon: MedicineLexicon, text: str, ids: list[str]
) -> None:
    found = lexicon.find(text)
    assert [m.medicine_id for m in found] == ids and found[0].how == "fuzzy"


def test_no_misreading_of_other_names_or_short_ones() -> None:
    lex = MedicineLexicon([_zh("cefixime", "头孢克肟胶囊"), _zh("lora", "氯雷他定片"), _zh("ibu", "布洛芬片")])
    assert _ids(lex, "头孢克洛一天几次") == []  # another cephalosporin, one character apart: not cefixime
    assert _ids(lex, "布洛粉一次几片") == ["ibu"]  # three characters: read through one of the same sound only
    assert _ids(lex, "布诺芬一次几片") == []  # (session 10, app.pipeline.zh_homophones); 诺 is nuo, not luo
    assert _ids(lex, "氯雷他啶") == ["lora"]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("氯雷他丁能给孩子吃吗", ["lora"]),  # 丁 for 定 (ding)
        ("瑞苏伐他汀一天吃几片", ["rosu"]),  # 苏 for 舒 (s for sh), not the class word 他汀
        ("阿齐霉素吃完拉肚子", ["azi"]),  # 齐 for 奇 (qi)
        ("阿其霉素", ["azi"]),
        ("泮托拉挫", ["panto"]),
        ("盼托拉唑", ["panto"]),  # 盼 for 泮: a chemistry character at the start (FIRST_CONFUSABLE)
        ("绿吡格雷要饭后吃吗", ["clop"]),  # 绿 for 氯
        ("坦索罗新晚上吃", ["tams"]),  # 新 for 辛
        ("倍他洛克心率慢能吃吗", ["meto"]),  # 洛 for 乐
        ("利法沙班漏吃一次", ["riva"]),  # 法 for 伐
        ("美托落尔能突然停吗", ["meto"]),  # 落 for 洛
        ("立伐沙班", []),  # 立 for 利 at the start: an ordinary first character is never read through
        ("绿茶能喝吗", []),
    ],
)
def test_sounds_people_merge_are_read_through_in_long_names(text: str, ids: list[str]) -> None:
    """Session 9: 丁/定, 苏/舒, 齐/奇, 新/辛, 法/伐, 洛/乐 are near or same sounds people write for the right one;
    绿/氯 and 盼/泮 also at a name's start."""
    lex = MedicineLexicon([_zh("lora", "氯雷他定片"), _zh("rosu", "瑞舒伐他汀钙片"), _zh("azi", "阿奇霉素片"),
                           _zh("panto", "泮托拉唑钠肠溶片"), _zh("clop", "硫酸氢氯吡格雷片"),
                           _zh("tams", "盐酸坦索罗辛缓释胶囊"), _zh("meto", "酒石酸美托洛尔片", "倍他乐克"),
                           _zh("riva", "利伐沙班片")])
    assert _ids(lex, text) == ids

"""A quoted sentence that points to a table the database's copy of the label does not hold.

Labels flattened to text lose their tables: gabapentin's renal dosing ends "... is recommended, as follows: TABLE
1." and famotidine's "Table 2 shows the recommended maximum dosage ... by indication." with no table after it.
Quoted alone such a sentence reads as if the answer were somewhere in it; the reader adds a notice that the
table is not in the database's text, so the user knows to ask for the figures instead of looking for them.
"""

from __future__ import annotations

import re

# "as follows: TABLE 1.", "(see Table 3)", "Table 2 shows/lists/gives ...", "in the table below"
_POINTER = re.compile(
    r"\b(?:as follows|below|following)\b[^.]{0,120}?:\s*table\s+(?P<n1>\d+)\s*\.?\s*$|"
    r"^\W*table\s+(?P<n2>\d+)\s+(?:shows|lists|gives|provides|summari[sz]es|presents|describes)\b|"
    r"\b(?:in|see)\s+(?:the\s+)?table\s+(?P<n3>\d+)\s*(?:below)?\s*[.)]\s*$",
    re.IGNORECASE)
# A table row the corpus kept: cells joined by bars, or a header row of dose words.
_TABLE_KEPT = re.compile(r"\|")


def table_pointed_to(text: str) -> str | None:
    """'Table 2' when the sentence points to a numbered table for what it says, else None."""
    found = _POINTER.search(text.strip())
    if found is None:
        return None
    return f"Table {found.group('n1') or found.group('n2') or found.group('n3')}"


def table_missing(label_texts: list[str]) -> bool:
    """Whether the label's text holds no table rows at all (its tables were lost when it was flattened)."""
    return not any(_TABLE_KEPT.search(t) for t in label_texts)


def missing_table_notice(name: str, table: str, language: str, quoted: bool = True) -> str:
    """`quoted`: the sentence pointing to the table is in the answer; else the label gives the stated
    population's figures in it (gabapentin's renal dosing) and the answer quotes other lines."""
    if language == "zh":
        where = "在这里提到了表格" if quoted else "把这种情况的剂量列在表格"
        return (f"{name}的说明书{where}（{table}），但数据库中的说明书文本没有这张表。"
                "具体数值请咨询药师或医生。")
    where = f"refers to {table} here" if quoted else f"gives the figures for this in {table}"
    return (f"{name}'s label {where}, but the medicine database's copy of the label does not include "
            "the table. Ask a pharmacist or doctor for the figures.")

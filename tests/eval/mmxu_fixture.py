"""A synthetic MMXU fixture laid out like MIMIC-CXR (made-up patients, generated JPEGs, made-up reports),
and the loopback OpenAI-compatible test server (tests/fakes/openai_server.py) playing a vision-language
model that answers by a rule the test chooses."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.fakes.openai_server import FakeOpenAIServer, reply

# (patient, current study, prior study, question, options, answer, change type, prior report)
ITEMS: list[tuple[str, str, str, str, dict[str, str], str, str, str]] = [
    (
        "p10000001", "s50000002", "s50000001",
        "What change is observed in the left lower lung zone between the two chest X-ray images?",
        {"A": "The opacity is stable", "B": "The effusion has grown larger", "C": "The effusion is smaller",
         "D": "A new pneumothorax is seen"},
        "B", "worsen",
        "FINAL REPORT\nEXAMINATION: CHEST (PA AND LAT)\nINDICATION: Shortness of breath.\n"
        "FINDINGS: There is a small left pleural effusion at the left base. The right lung is clear. "
        "Heart size is normal.\nIMPRESSION: Small left pleural effusion.\n",
    ),
    (
        "p10000001", "s50000003", "s50000002",
        "How has the right upper lung zone changed across the two studies?",
        {"A": "The opacity is stable", "B": "The consolidation is larger", "C": "The consolidation is smaller",
         "D": "A new nodule is seen"},
        "A", "no change",
        "FINAL REPORT\nFINDINGS: Patchy opacity in the right upper lobe. The left lung is clear. No pneumothorax.\n"
        "IMPRESSION: Right upper lobe opacity, possibly pneumonia.\n",
    ),
    (
        "p11000002", "s51000002", "s51000001",
        "What is the condition of the cardiac silhouette across the two chest images?",
        {"A": "It is unchanged", "B": "It is larger", "C": "It is smaller", "D": "It cannot be assessed"},
        "C", "improved",
        "FINAL REPORT\nFINDINGS: The cardiac silhouette is moderately enlarged. Lungs are clear.\n"
        "IMPRESSION: Cardiomegaly.\n",
    ),
]


def _jpeg(path: Path, seed: int) -> None:
    from PIL import Image, ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("L", (64, 64), color=20 + seed * 10)
    draw = ImageDraw.Draw(img)
    draw.ellipse((8 + seed, 12, 30 + seed, 52), fill=200)
    draw.ellipse((34, 12, 56 - seed, 52), fill=190)
    img.save(path, format="JPEG", quality=80)


def write_fixture(root: Path) -> tuple[Path, Path, Path]:
    """Returns (questions.jsonl, images root, reports root)."""
    images, reports = root / "mimic-cxr-jpg", root / "mimic-cxr-reports"
    lines = []
    for i, (patient, cur, prior, question, options, answer, change, report) in enumerate(ITEMS, start=1):
        group = patient[:3]
        cur_img = f"files/{group}/{patient}/{cur}/{i:08d}-cur.jpg"
        prior_img = f"files/{group}/{patient}/{prior}/{i:08d}-prior.jpg"
        _jpeg(images / cur_img, i)
        _jpeg(images / prior_img, i + 3)
        report_path = reports / f"files/{group}/{patient}/{prior}.txt"
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(report, encoding="utf-8")
        lines.append({"id": i, "content_type": change, "question": question, "options": options, "answer": answer,
                      "cur_image_path": cur_img, "prior_image_path": prior_img})
    questions = root / "MMXU-test.jsonl"
    questions.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return questions, images, reports


Rule = Callable[[dict[str, Any]], str]


@contextmanager
def fake_vlm(rule: Rule) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The project's loopback OpenAI-compatible server (tests/fakes) answering every request by `rule`;
    yields (base_url, the request bodies it received)."""
    with FakeOpenAIServer() as server:
        server.responder = lambda body: reply(rule(body))
        yield server.url, server.requests


def user_text(body: dict[str, Any]) -> str:
    out = []
    for m in body["messages"]:
        content = m["content"]
        if isinstance(content, str):
            out.append(content)
        else:
            out += [p.get("text", "") for p in content if p.get("type") == "text"]
    return "\n".join(out)


def image_parts(body: dict[str, Any]) -> list[str]:
    parts = []
    for m in body["messages"]:
        if isinstance(m["content"], list):
            parts += [p["image_url"]["url"] for p in m["content"] if p.get("type") == "image_url"]
    return parts

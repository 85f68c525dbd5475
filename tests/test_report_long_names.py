"""Done-when of issue 13: every report rendered with 80-character names in every text column
prints no two words over each other and no word outside the page's text area, judged from the
PDF's word boxes (``pdftotext -bbox``)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from drillplan.drills.evaluation import INDICATORS
from drillplan.reports.frame import MARGINS
from drillplan.reports.registry import KINDS, build_report

AS_OF = dt.date(2026, 11, 24)
FILLER = (
    "应急管理综合保障服务中心第二分部（崧华路210/1号），联系人：许彬鹏、王芳；"
    "承担防汛防台、危险化学品、轨道交通大客流等突发事件的先期处置任务"
)

# table -> its text columns (the names people type; codes stay codes)
LONG_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("name",),
    "team": ("name", "agreement_no"),
    "depot": ("name",),
    "material": ("name",),
    "plan": ("title",),
    "drill": (
        "title",
        "venue",
        "scenario",
        "evaluation_summary",
        "evaluation_lead",
        "evaluators",
        "evaluation_method",
        "objectives",
        "course",
        "strengths",
        "plan_suggestions",
    ),
    "drill_participant": ("role",),
    "finding": ("description",),
    "corrective_action": ("action", "owner_name"),
    "competition": ("title", "venue"),
    "competition_event": ("name",),
    "competition_entry": ("participant",),
    "member": ("name",),
    "certificate": ("cert_type",),
    "lot": ("batch_no",),
}

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def long_name(i: int) -> str:
    return (f"{i}号" + FILLER * 2)[:80]


@pytest.fixture(scope="module")
def long_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("long") / "long.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
    with database.session() as session:
        for table, columns in LONG_COLUMNS.items():
            ids = session.execute(text(f"SELECT id FROM {table}")).scalars().all()
            for row_id in ids:
                values = {c: long_name(row_id * 10 + k) for k, c in enumerate(columns)}
                if table == "lot":  # a batch number is a code: one unbreakable run
                    values["batch_no"] = f"PC{row_id:06d}" + "ABCDEFGHJK" * 7
                sets = ", ".join(f"{c} = :{c}" for c in columns)
                session.execute(
                    text(f"UPDATE {table} SET {sets} WHERE id = :id"), {**values, "id": row_id}
                )
        comments = {key: long_name(90 + i) for i, key in enumerate(INDICATORS)}
        session.execute(  # a written comment on every indicator of every drill
            text("UPDATE drill SET indicator_comments = :c"), {"c": json.dumps(comments)}
        )
        session.execute(
            text("INSERT INTO setting (key, value) VALUES ('unit_name', :v)"),
            {"v": f'"{long_name(7)}"'},
        )
    return database


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(path: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    found: list[Word] = []
    sizes: list[tuple[float, float]] = []
    for n, page in enumerate(re.findall(r"<page (.*?)</page>", out, re.S)):
        w, h = re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups()  # type: ignore[union-attr]
        sizes.append((float(w), float(h)))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page,
        ):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            found.append(Word(n, x0, y0, x1, y1, html.unescape(m.group(5))))
    return found, sizes


def overlaps(a: Word, b: Word) -> bool:
    """Two words print over each other: their boxes share more than a sliver both ways."""
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.y1, b.y1) - max(a.y0, b.y0)
    return dx > 0.5 and dy > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


def problems(path: Path) -> list[str]:
    found, sizes = words(path)
    bad: list[str] = []
    by_page: dict[int, list[Word]] = {}
    for word in found:
        by_page.setdefault(word.page, []).append(word)
    for page, ws in by_page.items():
        width, height = sizes[page]
        left, right = MARGINS["inner"] - 1, width - MARGINS["outer"] + 1
        for w in ws:
            if w.x0 < left or w.x1 > right or w.y0 < 8 or w.y1 > height - 8:
                bad.append(f"p{page + 1} outside the text area: {w.text!r} {w}")
        ws.sort(key=lambda w: (w.y0, w.x0))
        for i, a in enumerate(ws):
            for b in ws[i + 1 :]:
                if b.y0 > a.y1:
                    break
                if overlaps(a, b):
                    bad.append(f"p{page + 1} overprint: {a.text!r} / {b.text!r}")
    return bad


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_long_names_never_overprint_or_leave_the_page(
    long_db: Database, kind: str, lang: str, tmp_path: Path
) -> None:
    with long_db.sessions() as session:
        result = build_report(
            session, kind, tmp_path / f"{kind}-{lang}.pdf", as_of=AS_OF, lang=lang,
            year=AS_OF.year,
        )  # fmt: skip
    found, _ = words(result.path)
    assert any("崧华路210/1号" in w.text for w in found), kind  # the long names are printed
    bad = problems(result.path)
    assert not bad, "\n".join(bad[:20])


def test_the_checker_sees_an_overprint() -> None:
    a = Word(0, 10, 10, 60, 20, "甲")
    assert overlaps(a, Word(0, 50, 11, 90, 21, "乙"))  # x and y shared: printed over
    assert not overlaps(a, Word(0, 61, 10, 90, 20, "丙"))  # side by side
    assert not overlaps(a, Word(0, 10, 19.5, 60, 29.5, "丁"))  # the next line

"""Parse the appendix of Resolution 47/NQ-CP (Vietnamese text extracted from the official PDF) into tasks.

The PDF's table arrives as running text: id, title, lead agency, coordinating agencies and timeframe on
joined lines. A new cell starts where an agency name begins with a capital letter and is not the
continuation of a comma-separated list. Two cells cut by a page break are listed in PAGE_BREAK_TAILS and
checked against the source, so a changed source fails loudly instead of producing a wrong row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TASK_RE = re.compile(r"^(\d)\.(\d{1,2})\b\s*(.*)$")
GROUP_RE = re.compile(r"^([1-5])(?:\s+(.*))?$")
TIME_RE = re.compile(r"(Hằng năm|Đến năm\s+2030|\d{4}\s*-\s*\d{4}|\d{4})\s*$")
AGENCY_STARTS = (
    "Bộ ",
    "Các bộ",
    "Các địa phương",
    "Đài Truyền hình",
    "Đài Tiếng nói",
    "Thông tấn xã",
    "Ủy ban Dân tộc",
    "Văn phòng Chính phủ",
)
#: Text a page break moved after the timeframe: (task id, fragment, which cell it ends).
PAGE_BREAK_TAILS = {"3.19": ("quan", "coordinating"), "5.3": ("thông tin đối ngoại", "title")}


@dataclass(frozen=True)
class Task:
    id: str
    group: int
    group_title: str
    title: str
    lead: str
    coordinating: str
    timeframe: str
    start_year: int | None
    end_year: int | None
    recurrence: str | None  # "annual" | "until-2030" | None


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+,", ",", text).replace("bộ , ngành", "bộ, ngành")


def _cells(text: str) -> list[str]:
    """Split at agency names that start a new cell (capitalised, not after a comma or 'và')."""
    starts = [0]
    for agency in AGENCY_STARTS:
        for match in re.finditer(re.escape(agency), text):
            before = text[: match.start()].rstrip()
            if agency == "Bộ " and not text[match.end() : match.end() + 1].isupper():
                continue  # "Bộ quy tắc" (a code of conduct) is not a ministry
            if match.start() and not before.endswith((",", " và")) and before:
                starts.append(match.start())
    starts = sorted(set(starts))
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _years(timeframe: str) -> tuple[int | None, int | None, str | None]:
    if timeframe == "Hằng năm":
        return None, None, "annual"
    if timeframe.startswith("Đến năm"):
        return None, 2030, "until-2030"
    years = [int(y) for y in re.findall(r"\d{4}", timeframe)]
    return years[0], years[-1], None


def parse(source: Path) -> list[Task]:
    text = source.read_text(encoding="utf-8")
    appendix = text[text.index("DANH MỤC CÁC NHÓM NHIỆM VỤ") :]
    lines = [line.strip() for line in appendix.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("(Kèm theo", "STT ", "Thời gian", "hiện", "___"))]
    groups: dict[int, str] = {}
    chunks: list[tuple[str, int, list[str]]] = []
    current_group = 0
    pending_group: list[str] | None = None
    for line in lines[1:]:
        task = TASK_RE.match(line)
        group = GROUP_RE.match(line)
        if task:
            if pending_group is not None:
                groups[current_group] = _clean(" ".join(pending_group))
                pending_group = None
            chunks.append((f"{task[1]}.{task[2]}", int(task[1]), [task[3]]))
        elif group and (not chunks or int(group[1]) == current_group + 1):
            current_group = int(group[1])
            pending_group = [group[2] or ""]
        elif pending_group is not None:
            pending_group.append(line)
        elif chunks:
            chunks[-1][2].append(line)
    tasks = []
    for task_id, group, parts in chunks:
        body = _clean(" ".join(parts))
        tail = PAGE_BREAK_TAILS.get(task_id)
        if tail:
            assert body.endswith(tail[0]), f"{source}: task {task_id} no longer ends with {tail[0]!r}"
            body = body[: -len(tail[0])].strip()
        match = TIME_RE.search(body)
        assert match, f"{source}: task {task_id} has no timeframe: {body!r}"
        timeframe = _clean(match[1]).replace(" - ", "–").replace("-", "–")
        cells = _cells(body[: match.start()].strip())
        title, lead, coordinating = [*cells, "", "", ""][:3]
        if len(cells) > 3:
            coordinating = " ".join(cells[2:])
        if tail and tail[1] == "title":
            title = f"{title} {tail[0]}"
        elif tail:
            coordinating = f"{coordinating} {tail[0]}"
        start, end, recurrence = _years(_clean(match[1]))
        tasks.append(
            Task(task_id, group, groups.get(group, ""), title, lead, coordinating, timeframe, start, end, recurrence)
        )
    return tasks


SEPARATOR_RE = re.compile(r"\s*(?:,|\bvà\b)\s*")


def split_agencies(text: str, names: list[tuple[str, str]], where: str) -> list[str]:
    """The agency codes of a cell, in order. ``names``: (how the resolution writes a name, its code).

    Names contain commas and 'và' themselves ("Bộ Văn hóa, Thể thao và Du lịch"), so the cell is read
    name by name, always taking the longest known name; text that is no known name fails loudly."""
    by_length = sorted(names, key=lambda n: -len(n[0]))
    codes: list[str] = []
    rest = text.strip()
    while rest:
        folded = rest.casefold()
        match = next(((written, code) for written, code in by_length if folded.startswith(written.casefold())), None)
        if match is None:
            raise ValueError(
                f"{where}: no agency of the code list starts {rest[:60]!r} — add it under codelists.agency"
            )
        written, code = match
        rest = rest[len(written) :]
        separator = SEPARATOR_RE.match(rest)
        if rest and not separator:
            raise ValueError(
                f"{where}: {written!r} is followed by {rest[:30]!r} — add the longer name to the code list"
            )
        rest = rest[separator.end() :] if separator else rest
        if code not in codes:
            codes.append(code)
    return codes

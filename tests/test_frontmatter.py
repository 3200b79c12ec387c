"""The content model: each bad input gives a finding with the right line and a fix; nothing crashes."""

from __future__ import annotations

import pytest
import yaml
from conftest import reached
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import YAML_RE, get_data

from vnportal.content.frontmatter import split, validate

GOOD = (
    "---\ntitle: Huế\ndescription: The old capital.\ntype: topic\nupdated: 2026-11-29\n"
    "sources: [{publisher: UNESCO, title: Complex of Huế Monuments, year: 1993, url: 'https://whc.unesco.org/en/list/678'}]\n"
    "---\n\nBody\n"
)


def messages(source: str) -> list[str]:
    return [str(f) for f in validate(source, "docs/en/x.md")[1]]


def test_valid_page_has_no_findings() -> None:
    assert messages(GOOD) == []
    fm, _ = validate(GOOD, "x")
    assert fm.data["title"] == "Huế"


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        ("---\ntitle: A\n---\n", 2, "missing 'description'"),
        ("---\ndescription: A\n---\n", 2, "missing 'title'"),
        ("---\ntitle: A\ndescription: B\ntitel: C\n---\n", 4, "did you mean 'title'"),
        ("---\ntitle: A\ndescription: B\ntype: news\n---\n", 2, "missing 'date' for type: news"),
        (
            "---\ntitle: A\ndescription: B\ntype: topic\nupdated: 2026-01-01\n---\n",
            2,
            "missing 'sources' for type: topic",
        ),
        (
            "---\ntitle: A\ndescription: B\nsources: [{publisher: P, title: T, year: 2025, url: 'http://x.org'}]\n---\n",
            4,
            "sources.0.url",
        ),
        ("---\ntitle: A\ndescription: B\ndate: 2024-13-01\n---\n", 4, "cannot be read"),
        ("---\ntitle: A\ndescription: B\nsources:\n  - year: !!timestamp 'x'\n---\n", 5, "cannot be read"),
        ("---\ntitle: A\ndescription: B\ndate: yesterday\n---\n", 4, "'date'"),
        ("---\ntitle: A\ndescription: B\ntags: culture\n---\n", 4, "tags"),
        ("---\ntitle: A\ndescription: B\ntype: blog\n---\n", 4, "use one of"),
        ("---\ntitle: A\ndescription: B\nimage: ../a.png\n---\n", 4, "file name of a picture in docs/assets/media"),
        ("---\ntitle: [unclosed\ndescription: B\n---\n", 3, "not valid YAML"),
        ("---\ntitle: A\n  description: B\n---\n", 3, "not valid YAML"),
        ("---\ntitle: A\ndescription: B\n", 1, "not closed"),
        ("---\n- a\n- b\n---\n", 2, "key: value"),
        ("just text, no title\n", 1, "no front matter"),
        ("---\ntitle: A\ndescription: B\ndate: 2024-02-01\nupdated: 2024-01-01\n---\n", 5, "before 'date'"),
        ("---\ntitle: A\ndescription: B\ntranslation: {source: vi}\n---\n", 4, "source_hash"),
    ],
)
def test_each_bad_input_is_located_and_explained(source: str, line: int, fragment: str) -> None:
    found = messages(source)
    assert found, source
    assert any(f.startswith(f"docs/en/x.md:{line}: ") and fragment in f for f in found), found
    assert all(" — " in f for f in found)


def test_page_without_front_matter_but_with_h1_is_accepted() -> None:
    assert messages("# Title\n\nFirst paragraph.\n") == []


def test_any_text_gives_findings_or_success_never_a_crash() -> None:
    with reached("finding") as seen:

        @settings(max_examples=300, deadline=None)
        @given(st.text(max_size=400))
        def judge(text: str) -> None:
            _, findings = validate(text, "p.md")
            lines = text.count("\n") + 2
            for finding in findings:
                seen["finding"] += 1
                assert 1 <= finding.line <= lines
                assert finding.message and finding.fix

        judge()


YAML_SCALARS = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.dates().map(str), st.none())


KEYS = st.sampled_from(["title", "description", "date", "type", "tags", "titel", "image"])
#: Any mapping, and one with a text title and description: from any mapping alone none of 300 is accepted.
MAPPINGS = st.one_of(
    st.dictionaries(KEYS, YAML_SCALARS),
    st.builds(
        lambda other, required: {**other, **required},
        st.dictionaries(KEYS, YAML_SCALARS),
        st.fixed_dictionaries(
            {"title": st.text(min_size=1, max_size=30), "description": st.text(min_size=1, max_size=30)}
        ),
    ),
)


def test_any_mapping_front_matter_is_judged_cleanly() -> None:
    with reached("accepted", "refused") as seen:

        @settings(max_examples=300, deadline=None)
        @given(MAPPINGS)
        @example({"title": "T", "description": "D"})
        def judge(data: dict) -> None:
            source = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nBody\n"
            fm, findings = validate(source, "p.md")
            seen["refused" if findings else "accepted"] += 1
            if not findings:
                assert isinstance(fm.data.get("title"), str) and isinstance(fm.data.get("description"), str)

        judge()


# -- where front matter ends: MkDocs' own rule, in one function --------------------------------------------------

PIECES = st.sampled_from(["---", "...", "----", "\n", "\r\n", " ", "\t", "title: A", "- a", "x", "#", "\ufeff", ": b"])


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_split_agrees_with_mkdocs(source: str) -> None:
    """The portal and MkDocs never disagree on whether a page has front matter, what it is and where the
    body starts (MkDocs reads files as UTF-8 with an optional byte-order mark)."""
    parts = split(source)
    text = source.removeprefix("\ufeff")
    match = YAML_RE.match(text)
    assert parts.text == text
    assert parts.block == (match.group(1) if match else None)
    assert text[: parts.end].count("\n") == parts.body_line and parts.text[parts.end :] == parts.body
    doc, meta = get_data(text)
    if match is None:
        assert parts.body == text and parts.body_line == 0
    elif meta:  # MkDocs read the block: its body is ours, less the blank lines it drops
        assert doc == parts.body.lstrip("\n")
    if parts.block is not None:
        assert parts.with_block(parts.block) == text
        assert (
            parts.text[: parts.start] + parts.block + parts.text[parts.start + len(parts.block) : parts.end]
            == (parts.text[: parts.end])
        )
    assert parts.unclosed == (match is None and text.startswith("---"))


@pytest.mark.parametrize(
    ("source", "block", "body", "body_line"),
    [
        ("---\ntitle: A\n---\nBody\n", "title: A\n", "Body\n", 3),
        ("\ufeff---\ntitle: A\n---\nBody\n", "title: A\n", "Body\n", 3),  # a byte-order mark, as editors save
        ("---  \ntitle: A\n...\n\nBody", "title: A\n", "\nBody", 3),  # spaces after ---, YAML's own end marker
        ("---\ntitle: A\n", None, "---\ntitle: A\n", 0),  # not closed
        ("\n---\ntitle: A\n---\n", None, "\n---\ntitle: A\n---\n", 0),  # not at the very start
        ("# Title\n\n---\n\nText\n", None, "# Title\n\n---\n\nText\n", 0),  # a rule in the body
    ],
)
def test_split_examples(source: str, block: str | None, body: str, body_line: int) -> None:
    parts = split(source)
    assert (parts.block, parts.body, parts.body_line) == (block, body, body_line)


def test_a_byte_order_mark_does_not_hide_front_matter() -> None:
    assert messages("\ufeff" + GOOD) == []
    assert "not closed" in messages("\ufeff---\ntitle: A\n")[0]

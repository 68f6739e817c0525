import re

import pytest

from concord.core.markdown import quote, render, unsafe_links


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "![i](data:text/html,<script>alert(1)</script>)",
        "<javascript:alert(1)>",
    ],
)
def test_no_script_or_script_link_survives(text: str) -> None:
    html = render(text).lower()

    assert "<script" not in html
    assert "<img" not in html
    assert re.search(r'<a\s[^>]*href="javascript', html) is None
    assert re.search(r"<[^>]*\son\w+\s*=", html) is None  # shown as escaped text only


@pytest.mark.parametrize(
    "text",
    ["[x](javascript:alert(1))", "[x](&#106;avascript:alert(1))", "[x](vbscript:x)", "<data:x>"],
)
def test_unsafe_links_are_found_so_forms_can_refuse_them(text: str) -> None:
    assert unsafe_links(text) != []


def test_ordinary_markdown_renders_with_safe_links() -> None:
    html = render("# Protocol\n\n**Call** the [advocate](https://example.org) or [us](/contact/).")

    assert "<h1>Protocol</h1>" in html
    assert "<strong>Call</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">advocate</a>' in html
    assert unsafe_links("[a](https://x.org) [b](/docs/) [c](mailto:a@example.org)") == []


def test_tables_render() -> None:
    assert "<td>1</td>" in render("| a | b |\n|---|---|\n| 1 | 2 |")


def test_a_quote_attributes_each_line() -> None:
    assert quote("first\n\nsecond", "Ana") == "> **Ana:**\n> first\n>\n> second\n\n"

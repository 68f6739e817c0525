"""Markdown that people write in the site (documents, forum posts), rendered to HTML that
is safe to show.

markdown-it-py renders CommonMark with raw HTML switched off; nh3 (the Rust ammonia
sanitizer) then keeps only the tags and attributes below and the http, https and mailto
link schemes, so neither a <script> nor a ``javascript:`` link survives whatever the input.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable(["table", "strikethrough"])
# A second parser that accepts every link, only to find the ones the first one refuses.
_finder = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_finder.validateLink = lambda url: True  # type: ignore[method-assign]


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render(text: str) -> SafeString:
    """``text`` as sanitized HTML, ready for a template."""
    return mark_safe(sanitize(_parser.render(text or "")))  # noqa: S308 - sanitized just above


def unsafe_links(text: str) -> list[str]:
    """The link targets in ``text`` whose scheme the sanitizer would drop, so a form can
    refuse them with a clear message instead of silently losing them."""
    found = []
    for token in _finder.parse(text or ""):
        for child in token.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if href is None and child.type == "image":
                href = child.attrGet("src")
            if href is not None and not _allowed(str(href)):
                found.append(str(href))
    return found


def _allowed(href: str) -> bool:
    href = "".join(href.split())  # browsers ignore whitespace inside a scheme
    scheme, colon, _rest = href.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # a relative link
    return scheme.strip().lower() in URL_SCHEMES


def quote(text: str, author: str) -> str:
    """``text`` as a Markdown block quote attributed to ``author``, for a reply."""
    lines = [f"> {line}" if line else ">" for line in (text or "").splitlines()]
    return f"> **{author}:**\n" + "\n".join(lines) + "\n\n"

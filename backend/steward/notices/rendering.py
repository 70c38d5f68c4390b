"""Markdown → HTML, then sanitised with nh3 (ammonia, a maintained allow-list sanitiser).

Staff may paste HTML into the Markdown (the district's systems export it); whatever reaches the
sanitiser, only the tags and attributes below survive, links only to http(s), mailto and tel, and
``<script>``/``<style>`` lose their content too. No ``<img>``: a picture in the body would be fetched from
wherever its URL points (telling a third party who reads the notice) or, from us, without the reader's
token; pictures are attachments, shown under the text. Done once, on save: readers get stored HTML."""
from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "del", "blockquote", "ul", "ol",
        "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"},
              "ol": {"start"}}
SCHEMES = {"http", "https", "mailto", "tel"}
_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "breaks": True}).enable("table").enable("strikethrough")


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def render(markdown: str) -> str:
    """The stored, served HTML of a notice body."""
    return sanitise(_md.render(markdown or ""))


def plain_summary(markdown: str, limit: int = 120) -> str:
    """A one-line teaser from the body (tags dropped, white space folded)."""
    text = nh3.clean(_md.render(markdown or ""), tags=set())
    text = " ".join(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", '"').replace("&#39;", "'").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

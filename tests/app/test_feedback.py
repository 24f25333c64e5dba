"""User text reaches the page as typed: literal() escapes every Markdown and HTML construct."""

import re

import pytest

from ui.feedback import literal

WORDS = [
    "<img src=x onerror=alert(1)>",
    "![x](http://example.invalid/a.png)",
    "**bold**",
    "$x$",
    ":red[x]",
    "- item",
    "12. item",
    "# title",
    "a_b_c",
    "`code`",
    "a & b",
    "~~gone~~",
    "x | y",
]


@pytest.mark.parametrize("text", WORDS)
def test_literal_escapes_markup_and_keeps_the_text(text):
    shown = literal(text)
    assert re.sub(r"\\(.)", r"\1", shown) == text  # what a reader sees is the text itself
    # no markup character is left unescaped
    assert not re.search(r"(?<!\\)[*_\[\]<>#|$~:!&`]", shown)
    assert not re.match(r"\s*([-+]|\d+\.)", shown)

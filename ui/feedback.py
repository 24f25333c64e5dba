"""How pages report problems: one helper instead of a try/except on every page.

Messages may hold words a user typed or uploaded; they are shown as literal text (Markdown
escaped), never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core import UnknownWordError, W2VError

# characters that start Markdown, HTML, LaTeX ($), emoji and colour directives (:red[x]) anywhere
_INLINE = re.compile(r"([\\`*_\[\]<>#|$~:!&])")
# and those that start a list only at the beginning of a line
_LINE_START = re.compile(r"^(\s*)([-+]|\d+(?=\.))", re.MULTILINE)


def literal(text: str) -> str:
    """``text`` with every Markdown (and HTML) special character escaped, so it shows as typed."""
    return _LINE_START.sub(_escape_list_mark, _INLINE.sub(r"\\\1", text))


def _escape_list_mark(m: re.Match) -> str:
    indent, mark = m.groups()
    return indent + (mark + "\\" if mark[0].isdigit() else "\\" + mark)  # "12\." or "\-"


@contextmanager
def errors_on_page(prefix: str = "", level: str = "error") -> Iterator[None]:
    """Run the block; a project error ends it and is shown on the page as one line.

    ``level``: "error" or "warning" for the box; an unknown word is always a warning (a typo,
    not a failure). Streamlit's own control flow (``st.stop``, ``st.rerun``) passes through.
    """
    try:
        yield
    except W2VError as exc:
        box = st.warning if level == "warning" or isinstance(exc, UnknownWordError) else st.error
        box(literal(prefix + str(exc)))

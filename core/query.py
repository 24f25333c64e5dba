"""What a person types, turned into the set's words: case and surrounding punctuation folded
the way the set's tokens were made, lists split on commas and spaces, and the common English
words ("the", "of"...) a page can leave out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .embeddings import EmbeddingSet
from .errors import UnknownWordError

# A small English stop-word list (function words and pronouns): enough to hide "the", "of" and
# friends from neighbour lists and maps, not a linguistic resource.
_STOP_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves also may might must
    shall us upon yet let every everyone everything someone something anyone anything nothing
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_EDGES = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation around a word ("Dog," "(paris)" "'king'")
_SEPARATORS = re.compile(r"[\s,;]+")


def keeps_case(es: EmbeddingSet) -> bool | None:
    """Whether the set's tokens kept their case, if its metadata says (None when it does not).

    A trained set may record ``lowercase`` (or ``keep_case``) with its parameters or its corpus.
    """
    for section in ("params", "corpus"):
        info = es.meta.get(section)
        if not isinstance(info, dict):
            continue
        if "lowercase" in info:
            return not info["lowercase"]
        if "keep_case" in info:
            return bool(info["keep_case"])
    return None


def normalize_word(es: EmbeddingSet, text: str) -> str:
    """``text`` as the set spells it: a vocabulary word is kept as typed; otherwise surrounding
    punctuation is stripped and the case folded, unless the set kept case.

    When nothing matches, the cleaned form is returned, so that looking it up raises
    :class:`UnknownWordError` with suggestions for what the person meant.
    """
    word = text.strip()
    if not word or word in es:
        return word
    bare = _EDGES.sub("", word) or word  # a word made only of punctuation stays as typed
    keep = keeps_case(es)
    forms = [word, bare] if keep else [word, word.lower(), bare, bare.lower()]
    found = next((f for f in forms if f in es), None)
    if found is not None:
        return found
    return bare.lower() if keep is False else bare


def split_words(text: str) -> list[str]:
    """A typed list ("Dog, Cat, Paris" or one word a line) as its words."""
    return [w for w in _SEPARATORS.split(text) if w]


def lookup(es: EmbeddingSet, texts: Iterable[str]) -> tuple[list[str], list[UnknownWordError]]:
    """The vocabulary words among ``texts`` (normalised, in order, each once) and an error,
    with spelling suggestions, for each one that is not in the vocabulary."""
    known: dict[str, None] = {}
    unknown: dict[str, UnknownWordError] = {}
    for text in texts:
        word = normalize_word(es, text)
        try:
            es.index(word)
            known[word] = None
        except UnknownWordError as exc:
            unknown.setdefault(word, exc)
    return list(known), list(unknown.values())


def describe_unknown(unknown: list[UnknownWordError]) -> str:
    """One line naming every skipped word, with its suggestions."""
    parts = [
        f"'{e.word}'" + (f" (did you mean {', '.join(repr(s) for s in e.suggestions)}?)" if e.suggestions else "")
        for e in unknown
    ]
    noun = "word is" if len(parts) == 1 else "words are"
    return f"Skipped: {len(parts)} {noun} not in the vocabulary: {', '.join(parts)}."


def is_stop_word(word: str) -> bool:
    return word.lower() in STOP_WORDS


def common_words(es: EmbeddingSet) -> list[str]:
    """The stop words as this set spells them (for ``core.search.neighbors(exclude=...)``)."""
    forms = (f for w in sorted(STOP_WORDS) for f in (w, w.capitalize(), w.upper()))
    return [f for f in dict.fromkeys(forms) if f in es]


def frequent_words(es: EmbeddingSet, n: int, hide_common: bool = False) -> list[str]:
    """The ``n`` most frequent words; with ``hide_common`` the stop words are skipped and the
    next words fill their places."""
    rows = es.top_rows(n + (3 * len(STOP_WORDS) if hide_common else 0))
    words = [es.words[i] for i in rows]
    if hide_common:
        words = [w for w in words if not is_stop_word(w)]
    return words[:n]


def first_meaningful_word(es: EmbeddingSet, scan: int = 1000) -> str:
    """A word worth opening a page on: the most frequent alphabetic word of 3 or more letters
    that is not a stop word (the most frequent word itself is usually "the")."""
    for i in es.top_rows(scan):
        w = es.words[i]
        if len(w) >= 3 and w.isalpha() and not is_stop_word(w):
            return w
    return es.words[0]

"""The project's error types.

Every message is one line that says what is wrong and what to do about it; the CLI prints it
as is and the app shows it on the page.
"""
from __future__ import annotations


class W2VError(Exception):
    """Base class of every error this project raises on purpose."""


class CorpusError(W2VError):
    """A corpus file cannot be read as text (binary, too large, unknown type...)."""


class FormatError(W2VError):
    """A vector file is malformed; the message names the file and, for text, the line."""


class BundleError(W2VError):
    """A saved bundle is missing, incomplete or inconsistent."""


class TrainingError(W2VError):
    """Training cannot start or was given invalid parameters."""


class CancelledError(W2VError):
    """Training was stopped on request; nothing was saved."""


class UnknownWordError(W2VError, KeyError):
    """A query word is not in the vocabulary; `suggestions` holds close spellings."""

    def __init__(self, word: str, suggestions: list[str] | None = None):
        self.word = word
        self.suggestions = list(suggestions or [])
        hint = (f"did you mean {', '.join(repr(s) for s in self.suggestions)}?"
                if self.suggestions else "no vocabulary word is spelled similarly.")
        super().__init__(f"'{word}' is not in the vocabulary; {hint}")

    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return self.args[0]

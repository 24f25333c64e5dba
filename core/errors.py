"""The project's error types.

Every message is one line that says what is wrong and what to do about it; the CLI prints it
as is and the app shows it on the page. Each type is also the builtin a Python user would
catch: an invalid argument is a ``ValueError``, a missing file a ``FileNotFoundError``, an
unknown word or set a ``KeyError``. ``W2VError`` catches them all.
"""

from __future__ import annotations


class W2VError(Exception):
    """Base class of every error this project raises on purpose."""


class _PlainKeyError(KeyError):
    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(W2VError, ValueError):
    """An argument outside what the function accepts (k, metric, dimensions, method...)."""


class MissingFileError(W2VError, FileNotFoundError):
    """A file or folder that was named does not exist."""


class OutputExistsError(W2VError, FileExistsError):
    """The output path holds something that must not be replaced."""


class CorpusError(W2VError, ValueError):
    """A corpus file cannot be read as text (binary, too large, unknown type...)."""


class FormatError(W2VError, ValueError):
    """A vector file is malformed; the message names the file and, for text, the line."""


class BundleError(W2VError, ValueError):
    """A saved bundle is incomplete or inconsistent."""


class TrainingError(W2VError, ValueError):
    """Training cannot start or was given invalid parameters."""


class CancelledError(W2VError):
    """Training was stopped on request; nothing was saved."""


class UnknownWordError(W2VError, _PlainKeyError):
    """A query word is not in the vocabulary; `suggestions` holds close spellings."""

    def __init__(self, word: str, suggestions: list[str] | None = None):
        self.word = word
        self.suggestions = list(suggestions or [])
        hint = (
            f"did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else "no vocabulary word is spelled similarly."
        )
        super().__init__(f"'{word}' is not in the vocabulary; {hint}")


class WorkspaceError(W2VError):
    """Something about the workspace's sets: their names, existence or uploads."""


class InvalidNameError(WorkspaceError, ValueError):
    """A set name that is not allowed (it could reach outside the workspace)."""


class SetExistsError(WorkspaceError, FileExistsError):
    """A set of that name exists already (or is being trained)."""


class SetNotFoundError(WorkspaceError, _PlainKeyError):
    """No set of that name is in the workspace."""


class ReadOnlyError(WorkspaceError, PermissionError):
    """The set cannot be changed (the bundled sample)."""


class UploadError(WorkspaceError, ValueError):
    """The uploaded files do not make up the chosen format."""

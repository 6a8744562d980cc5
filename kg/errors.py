"""Exceptions for "cannot run" conditions; findings about the data are reported as data.

    KgError
    ├── DocumentError      a document cannot be read or holds no budget content
    └── UsageError         the command line or configuration is wrong
"""

from __future__ import annotations


class KgError(Exception):
    """Base of budget-kg's exceptions."""


class DocumentError(KgError):
    """A document that cannot be extracted: names the file, the line and what was expected."""

    def __init__(self, document: str, message: str, line: int | None = None) -> None:
        self.document = document
        self.line = line
        self.detail = message
        where = f"{document}:{line}" if line else document
        super().__init__(f"{where}: {message}")


class UsageError(KgError):
    """Wrong arguments or configuration."""

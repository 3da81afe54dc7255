"""Errors with a message a user can act on, and the exit codes the CLI maps them to.

Every error says what went wrong, where, and what to do; the CLI prints the
message (never a traceback) and exits with the error's ``exit_code``.
"""

from __future__ import annotations

#: Exit codes shared by every command (documented in the README).
EXIT_OK = 0
EXIT_INVALID = 1  # the data did not pass validation
EXIT_USAGE = 2  # bad command line, unknown query / parameter / entity
EXIT_INPUT = 3  # an input file or query text could not be read or parsed
EXIT_BACKEND = 4  # a store or endpoint failed (down, timeout, garbage answer)
EXIT_MISSING_DEP = 5  # an optional dependency needed for this command is missing


class T2DMError(Exception):
    """Base class: ``str(err)`` is the full, user-facing message."""

    exit_code = EXIT_USAGE


class UsageError(T2DMError):
    """The request itself is wrong: unknown query, parameter or entity."""

    exit_code = EXIT_USAGE


class UnknownEntityError(UsageError):
    """A parameter names no entity; ``suggestions`` holds the closest labels."""

    def __init__(self, param: str, value: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown entity {value!r} for parameter '{param}'.{hint} "
            "Use an English or Chinese label, a synonym, a CURIE or an IRI; `t2dm-onto query entities` lists them all."
        )
        self.param = param
        self.value = value
        self.suggestions = suggestions


class InputError(T2DMError):
    """An input file or SPARQL text could not be read or parsed."""

    exit_code = EXIT_INPUT


class BackendError(T2DMError):
    """The store or remote endpoint failed."""

    exit_code = EXIT_BACKEND


class MissingDependencyError(T2DMError):
    """An optional dependency is not installed."""

    exit_code = EXIT_MISSING_DEP

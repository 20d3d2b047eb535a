"""Who owns a path: prefixes matched by whole path segment, the longest one winning.

Azure's paths put an action after a colon (``/language/:analyze-text``,
``/computervision/imageanalysis:analyze``), so a prefix matches a path that equals it or
continues it with ``/`` or ``:``. ``/language`` therefore owns ``/language/:analyze-text``
but not ``/languages`` (Translator), and a longer prefix (``/language/:analyze-conversations``,
CLU) wins over a shorter one. Matching ignores case, as Azure's front door does.
Declaring the same prefix twice is refused when the table is built, not discovered
by a request.
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class RouteConflict(ValueError):
    """Two owners declared the same path prefix."""


def _normal(prefix: str) -> str:
    prefix = "/" + prefix.strip().strip("/")
    return prefix.lower()


class PathTable(Generic[T]):
    def __init__(self) -> None:
        self._entries: list[tuple[str, T, str]] = []  # (prefix, value, owner), longest prefix first

    def add(self, prefix: str, value: T, owner: str) -> None:
        normal = _normal(prefix)
        for known, _, known_owner in self._entries:
            if known == normal:
                raise RouteConflict(
                    f"Path prefix {normal} is declared by both {known_owner} and {owner}; "
                    "each prefix must have exactly one owner.")
        self._entries.append((normal, value, owner))
        self._entries.sort(key=lambda entry: len(entry[0]), reverse=True)

    def lookup(self, path: str) -> T | None:
        path = path.lower()
        for prefix, value, _ in self._entries:
            if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] in "/:"):
                return value
        return None

    def prefixes(self) -> list[tuple[str, str]]:
        """``(prefix, owner)`` pairs, longest prefix first."""
        return [(prefix, owner) for prefix, _, owner in self._entries]

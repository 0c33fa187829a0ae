"""Names that look alike: "Batch Normalization" written with a Cyrillic "a" (U+0430) reads as
the real one.

Unicode's confusables data (through ``confusable-homoglyphs``, pinned) says which letters of
other scripts look like Latin ones. A name's *skeleton* replaces each such letter by its Latin
look-alike and ignores case; two names with the same skeleton cannot be told apart by a reader.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import categories, confusables

_KEPT_SCRIPTS = frozenset({"LATIN", "COMMON", "INHERITED"})


def skeleton(name: str) -> str:
    """``name`` as a reader sees it: letters of other scripts that look like Latin letters
    replaced by those, compatibility forms unified, case ignored."""
    normalized = unicodedata.normalize("NFKC", name)
    return "".join(_latin_lookalike(character) for character in normalized).casefold()


def foreign_lookalikes(name: str) -> list[str]:
    """The letters of ``name`` that only look Latin, each with its code point and Unicode name."""
    return [
        f"'{character}' (U+{ord(character):04X} {unicodedata.name(character, '?')})"
        for character in dict.fromkeys(name)
        if _latin_lookalike(character) != character
    ]


@lru_cache(maxsize=4096)
def _latin_lookalike(character: str) -> str:
    if categories.alias(character) in _KEPT_SCRIPTS:
        return character
    for homoglyph in confusables.confusables_data.get(character, ()):
        if all(categories.alias(c) in _KEPT_SCRIPTS for c in homoglyph["c"]):
            return str(homoglyph["c"])
    return character

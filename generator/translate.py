"""``glossary translate`` and ``glossary translations``: start a translation from its English
term, record the English it translates, and count what each language has translated."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generator import schema
from generator.model import Glossary, GlossaryError, Problem, Term
from generator.pipeline.load import TERMS_DIR
from generator.pipeline.translations import (
    LANGUAGES_PATH,
    LanguageStatus,
    english_texts,
    language_status,
    stamp,
)

_HEADER = """\
# {name}: a translation of terms/{slug}.yaml.
# Translate each text in place. Keep [[slug]] links with their English slugs (write
# [[slug|shown text]] to show translated words) and $math$ as it is; copy each symbol as it is
# and translate its meaning. A field you delete shows the English text, marked as English.
# Then run: glossary check
"""


def translation_path(code: str, slug: str) -> str:
    return f"{TERMS_DIR}/{code}/{slug}.yaml"


def start_translation(root: Path, glossary: Glossary, code: str, slug: str) -> Path:
    """Create ``terms/<code>/<slug>.yaml`` from the English term, with every translatable
    text in English and the record of the English it translates; never overwrite a file."""
    english = _english(glossary, code, slug)
    shown = translation_path(code, slug)
    folder = root / TERMS_DIR / code
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise _error(shown, f"{TERMS_DIR}/{code} is not a folder", "make it a real folder")
    folder.mkdir(exist_ok=True)
    path = folder / f"{slug}.yaml"
    name = next(language.name for language in glossary.languages if language.code == code)
    text = _HEADER.format(name=name, slug=slug) + translation_template(english)
    try:
        with open(path, "x", encoding="utf-8") as file:  # O_EXCL: never through a link either
            file.write(text)
    except FileExistsError:
        raise _error(
            shown,
            "this translation already exists",
            f"edit it; once it matches the English, run 'glossary translate {code} {slug} "
            "--current'",
        ) from None
    return path


def translation_template(english: Term) -> str:
    """The translatable texts of ``english`` in the shapes of a translation, then
    ``translates``: the English it starts from."""
    texts = english_texts(english)
    data: dict[str, Any] = {}
    for spec in schema.translation_fields():
        value = texts.get(spec.name)
        if value is None:
            continue
        if spec.item_fields:
            names = [item.name for item in spec.item_fields]
            value = [dict(zip(names, item, strict=True)) for item in value]
        data[spec.name] = value
    data["translates"] = stamp(english)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


class _Dumper(yaml.SafeDumper):
    """Writes a text of several lines as a literal block (``|``), as term files do."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def restamp_translation(root: Path, glossary: Glossary, code: str, slug: str) -> Path:
    """Record in ``terms/<code>/<slug>.yaml`` that it translates the English term as it is
    now: its ``translates`` line is replaced (or added); nothing else in it changes."""
    english = _english(glossary, code, slug)
    shown = translation_path(code, slug)
    found = [t for t in glossary.translations if t.language == code and t.slug == slug]
    if not found:
        raise _error(
            shown,
            "there is no such translation",
            f"start it with 'glossary translate {code} {slug}'",
        )
    path = root / shown
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    line = f"translates: {stamp(english)}\n"
    at = [i for i, text in enumerate(lines) if text.startswith("translates:")]
    before = "".join(lines)
    if at:
        lines[at[0]] = line
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(line)
    after = "".join(lines)
    # Only the record may change: not so when it was written over several lines.
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    old["translates"] = new.get("translates")
    if old != new or new["translates"] != stamp(english):
        raise _error(
            shown,
            "the line 'translates:' could not be replaced on its own",
            "write 'translates:' on one line of its own (or delete it), then run this again",
        )
    _replace(path, after)
    return path


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to a new file, then put it in place of ``path`` (a link is replaced, its
    target never written)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _english(glossary: Glossary, code: str, slug: str) -> Term:
    shown = translation_path(code, slug)
    codes = [language.code for language in glossary.languages]
    if code not in codes:
        declared = f"declared: {', '.join(codes)}" if codes else f"{LANGUAGES_PATH} declares none"
        raise _error(
            shown,
            f"'{code}' is not a declared language",
            f"declare it in {LANGUAGES_PATH} ({declared})",
        )
    term = next((t for t in glossary.terms if t.slug == slug), None)
    if term is None:
        raise _error(
            shown,
            f"there is no English term '{slug}'",
            "give the slug of a term: the name of its file, terms/<slug>.yaml, without .yaml",
        )
    return term


def _error(path: str, message: str, fix: str) -> GlossaryError:
    return GlossaryError([Problem(path, 1, 1, "file", message, fix)])


def translation_status(glossary: Glossary) -> tuple[LanguageStatus, ...]:
    """Each declared language's ``LanguageStatus``, in the declared order."""
    return tuple(
        language_status(glossary.terms, glossary.translations, language)
        for language in glossary.languages
    )

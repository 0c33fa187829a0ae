"""Translations, part of the validate stage: ``terms/_languages.yaml`` declares the languages
besides English, and ``terms/<language>/<slug>.yaml`` translates the English term
``terms/<slug>.yaml``.

A translation holds only translated text, with the field names and shapes of the English term
(``schema.translation_fields``: the fields marked ``translatable``), and is checked as any term
file is, then against its English term: a symbol must be one of the English symbols, the
figures' captions as many as the English figures, and every ``[[slug]]`` an English term.

``translates`` records the English it translates: a short digest of each translatable field,
written by ``glossary translate``. A field whose English text changed since makes the
translation outdated: a warning (``translation_warnings``), never an error, as the English
must be free to change first.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from generator import schema
from generator.markdown.mentions import find_explicit_links
from generator.model import (
    FaqEntry,
    Language,
    Problem,
    Section,
    SourceDocument,
    Symbol,
    Term,
    Translation,
    field_label,
)
from generator.pipeline.checked_file import CheckedFile, closest, located_problems
from generator.pipeline.cross_checks import explicit_link_problem
from generator.pipeline.load import LANGUAGES_FILE, TERMS_DIR
from generator.schema import FieldSpec

LANGUAGES_PATH = f"{TERMS_DIR}/{LANGUAGES_FILE}"
LANGUAGE_NAME_MAX_LENGTH = 40
# The languages Material's search can stem (lunr-languages) or segment (zh, ja): a language's
# 'search'. 'en' is English's own.
# fmt: off
SEARCH_LANGUAGES = frozenset((
    "ar", "da", "de", "du", "en", "es", "fi", "fr", "hi", "hu", "hy", "it", "ja", "kn",
    "ko", "nl", "no", "pt", "ro", "ru", "sa", "sv", "ta", "te", "th", "tr", "vi", "zh",
))
# fmt: on
_CODE = re.compile(schema.LANGUAGE_CODE_PATTERN)
_HREFLANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_STAMP = re.compile(schema.TRANSLATES_PATTERN)
_LANGUAGES_FIX = "write: languages: [{code: de, name: Deutsch, search: de}]"


def read_languages(
    document: SourceDocument | None, problems: list[Problem]
) -> tuple[Language, ...]:
    """The languages ``terms/_languages.yaml`` declares, in its order; problems are appended.
    Without the file, the glossary is English only."""
    if document is None:
        return ()
    data = document.data
    entries = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) != {"languages"} or not isinstance(entries, list):
        problems.append(
            Problem(
                document.path,
                1,
                1,
                "file",
                "must hold one key, 'languages': a list",
                _LANGUAGES_FIX,
            )
        )
        return ()
    languages: list[Language] = []
    for i, entry in enumerate(entries):
        found = _language_problem(entry, {language.code for language in languages})
        if found is None:
            code = entry["code"]
            hreflang = entry.get("hreflang") or code
            languages.append(Language(code, entry["name"].strip(), entry["search"], hreflang))
            continue
        where, message, fix = found
        path: tuple[str | int, ...] = ("languages", i, *where)
        # At the value at fault; at the key itself when it is the fault, or has no value.
        at_key = where and (where[0] not in entry or "unknown" in message)
        line, column = document.key_position(*path) if at_key else document.position(*path)
        problems.append(Problem(document.path, line, column, field_label(path), message, fix))
    return tuple(languages)


def _language_problem(entry: Any, seen: set[str]) -> tuple[tuple[str, ...], str, str] | None:
    """(the key at fault, what is wrong, how to fix) for one declared language, or None."""
    if not isinstance(entry, dict):
        return (), "must be a mapping", "write: {code: de, name: Deutsch, search: de}"
    for key in entry:
        if key not in ("code", "name", "search", "hreflang"):
            return (str(key),), "unknown key", "allowed keys: code, name, search, hreflang"
    code, name, search = entry.get("code"), entry.get("name"), entry.get("search")
    if not isinstance(code, str) or not _CODE.match(code) or code == "en":
        what = (
            "English is the source language, not a translation"
            if code == "en"
            else ("must be a language code of 2 or 3 lowercase letters")
        )
        return ("code",), what, "write the ISO 639-1 code, e.g. 'de', the name of its folder"
    if code in seen:
        return ("code",), f"'{code}' is declared twice", "declare each language once"
    if not isinstance(name, str) or not name.strip() or len(name) > LANGUAGE_NAME_MAX_LENGTH:
        return (
            ("name",),
            f"must be the language's name in itself, at most {LANGUAGE_NAME_MAX_LENGTH} characters",
            "e.g. 'Deutsch'",
        )
    if any(ch in name for ch in "<>&\"'\n"):
        return ("name",), "must be plain text", "write the name without markup"
    if search not in SEARCH_LANGUAGES:
        return (
            ("search",),
            f"'{search}' is not a language the site's search knows",
            f"use one of: {', '.join(sorted(SEARCH_LANGUAGES))}",
        )
    hreflang = entry.get("hreflang")
    if hreflang is not None and (not isinstance(hreflang, str) or not _HREFLANG.match(hreflang)):
        return ("hreflang",), "must be a language tag", "e.g. 'zh-Hans', or leave it out"
    return None


# --- What a translation translates ---------------------------------------------------------


def english_texts(term: Term) -> dict[str, Any]:
    """The English text of each translatable field ``term`` fills in (field name -> plain
    data): what a translation translates. Of a list of mappings, the translatable items and
    their keys, e.g. each symbol with its meaning."""
    texts: dict[str, Any] = {}
    for spec in schema.TERM_FIELDS:
        if not spec.translatable:
            continue
        value = _english_value(term, spec)
        if value:
            texts[spec.name] = value
    return texts


def _english_value(term: Term, spec: FieldSpec) -> Any:
    if spec.section is not None:
        return term.section_text(spec.name)
    value = getattr(term, spec.name)
    if spec.item_fields:
        names = [i.name for i in spec.item_fields if i.translatable or i.translation_key]
        return [[getattr(item, name) for name in names] for item in value]
    return list(value) if isinstance(value, tuple) else value


def digests(term: Term) -> dict[str, str]:
    """A short digest of each translatable field of the English ``term``."""
    return {
        name: hashlib.blake2b(
            json.dumps(value, ensure_ascii=False).encode(), digest_size=4
        ).hexdigest()
        for name, value in english_texts(term).items()
    }


def stamp(term: Term) -> str:
    """The value of ``translates`` for a translation of ``term`` as it is now."""
    return " ".join(f"{name}={digest}" for name, digest in digests(term).items())


def changed_fields(recorded: str, term: Term) -> tuple[str, ...]:
    """The translatable fields of ``term`` whose English text is not the one ``recorded``
    (a ``translates`` value) digests: changed, added or removed, in the schema's order."""
    then = dict(part.split("=", 1) for part in recorded.split())
    now = digests(term)
    order = [spec.name for spec in schema.TERM_FIELDS]
    changed = {name for name in then.keys() | now.keys() if then.get(name) != now.get(name)}
    return tuple(sorted(changed, key=lambda name: order.index(name) if name in order else -1))


# --- Checking translations ----------------------------------------------------------------


def read_translations(
    documents: Iterable[SourceDocument],
    english: Mapping[str, CheckedFile],
    languages: tuple[Language, ...],
    slugs: set[str],
    problems: list[Problem],
) -> tuple[Translation, ...]:
    """Every valid translation among ``documents`` (``terms/<language>/<slug>.yaml``), sorted
    by language and slug; the problems of the others are appended.

    ``english``: the English term files after their own checks, by slug; ``slugs``: every term
    file's slug, readable or not (a translation of a term whose file has problems is checked
    on its own, and against the English once that is fixed)."""
    from generator.pipeline.validate import markdown_texts, problems_in_mapping  # its caller

    declared = {language.code for language in languages}
    translations = []
    for document in documents:
        path = PurePosixPath(document.path)
        code, slug = path.parent.name, path.stem
        found: list[Problem] = []
        if code not in declared:
            where = f"declare it in {LANGUAGES_PATH}" if languages else f"create {LANGUAGES_PATH}"
            found.append(
                _file_problem(
                    document,
                    f"'{code}' is not a declared language",
                    f"{where} ({{code: {code}, name: ..., search: ...}}), or move the file "
                    "into the folder of a declared language",
                )
            )
        if slug not in slugs:
            hint = closest(slug, slugs) or "name it after an English term file, terms/<slug>.yaml"
            found.append(
                _file_problem(
                    document,
                    f"there is no English term '{slug}' (terms/{slug}.yaml) to translate",
                    hint,
                )
            )
        data = document.data
        if not isinstance(data, dict):
            what = "the file is empty" if data is None else "the file is not a mapping of fields"
            fix = f"start it with 'glossary translate {code} {slug}'"
            problems += [*found, _file_problem(document, what, fix)]
            continue
        found += problems_in_mapping(document, (), data, schema.translation_fields())
        file = CheckedFile(slug, document, None)
        for text_path, text in markdown_texts(file):
            for link in find_explicit_links(text):
                problem = explicit_link_problem(link, slug, slugs)
                if problem is not None:
                    line, column = document.text_position(text_path, link.line, link.column)
                    label = field_label(text_path)
                    found.append(Problem(document.path, line, column, label, *problem))
        source = english.get(slug)
        if source is None or source.term is None or found:
            problems += found  # an English file with problems has them reported already
            continue
        found += _against_english(document, data, source.term)
        problems += found
        if not found:
            translations.append(_translation(code, slug, document, data, source.term))
    return tuple(sorted(translations, key=lambda t: (t.language, t.slug)))


def _against_english(
    document: SourceDocument, data: dict[str, Any], english: Term
) -> list[Problem]:
    """What pairs badly with the English term: a symbol it does not have, another number of
    figures, a malformed record of the English translated."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    symbols = {"".join(s.symbol.split()): s.symbol for s in english.symbols}
    seen: set[str] = set()
    for i, item in enumerate(data.get("symbols") or ()):
        symbol = "".join(item["symbol"].split())
        if symbol not in symbols:
            listed = ", ".join(f"'{s}'" for s in symbols.values()) or "none"
            found.append(
                (
                    ("symbols", i, "symbol"),
                    f"'{item['symbol'].strip()}' is not a symbol of the English term",
                    f"copy the symbol exactly as terms/{english.slug}.yaml writes it "
                    f"(its symbols: {listed})",
                )
            )
        elif symbol in seen:
            found.append((("symbols", i, "symbol"), "is translated twice", "remove the repetition"))
        seen.add(symbol)
    captions = data.get("figures")
    if captions is not None and len(captions) != len(english.figures):
        found.append(
            (
                ("figures",),
                f"{len(captions)} caption(s) for the English term's {len(english.figures)} "
                "figure(s)",
                "write one {caption: ...} per English figure, in the English order"
                if english.figures
                else "remove 'figures': the English term has none",
            )
        )
    recorded = data.get("translates")
    if isinstance(recorded, str) and not _STAMP.match(recorded.strip()):
        found.append(
            (
                ("translates",),
                "is not a record written by 'glossary translate'",
                f"run 'glossary translate {PurePosixPath(document.path).parent.name} "
                f"{english.slug} --current' once the translation matches the English",
            )
        )
    return located_problems(document, found)


def _translation(
    code: str, slug: str, document: SourceDocument, data: dict[str, Any], english: Term
) -> Translation:
    """The English term with the translated texts of ``data`` in place of the English ones."""

    def text(name: str) -> str | None:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else None

    translated = {spec.name for spec in schema.translation_fields() if data.get(spec.name)}
    meanings = {
        "".join(item["symbol"].split()): item["meaning"].strip()
        for item in data.get("symbols") or ()
    }
    symbols = tuple(
        Symbol(s.symbol, meanings.get("".join(s.symbol.split()), s.meaning))
        for s in english.symbols
    )
    if any("".join(s.symbol.split()) not in meanings for s in english.symbols):
        translated.discard("symbols")  # a meaning shown in English
    captions = [item["caption"].strip() for item in data.get("figures") or ()]
    figures = tuple(
        replace(figure, caption=captions[i]) if captions else figure
        for i, figure in enumerate(english.figures)
    )
    sections = tuple(
        Section(spec.name, spec.section, text(spec.name) or english.section_text(spec.name) or "")
        for spec in schema.section_fields()
        if spec.section is not None and (text(spec.name) or english.section_text(spec.name))
    )
    term = replace(
        english,
        source=document.path,
        term=data["term"].strip(),
        summary=data["summary"].strip(),
        definition=data["definition"].strip(),
        aliases=tuple(a.strip() for a in data.get("aliases") or ()) or english.aliases,
        explanation=text("explanation") or english.explanation,
        symbols=symbols,
        examples=tuple(e.strip() for e in data.get("examples") or ()) or english.examples,
        sections=sections,
        faq=tuple(FaqEntry(i["q"].strip(), i["a"].strip()) for i in data.get("faq") or ())
        or english.faq,
        figures=figures,
    )
    recorded = text("translates")
    translated.discard("translates")
    outdated = changed_fields(recorded, english) if recorded else ()
    position = document.key_position("translates") if recorded else (1, 1)
    return Translation(
        code,
        slug,
        document.path,
        term,
        frozenset(translated),
        outdated,
        recorded is not None,
        position,
    )


def translation_warnings(translations: Iterable[Translation]) -> list[Problem]:
    """A warning for each translation that may no longer say what its English term says: one
    whose English changed since it was translated, and one that does not record what it
    translates."""
    warnings = []
    for t in translations:
        english = f"terms/{t.slug}.yaml"
        current = f"glossary translate {t.language} {t.slug} --current"
        if not t.stamped:
            warnings.append(
                Problem(
                    t.source,
                    *t.position,
                    "translates",
                    "does not record which version of the English term it translates",
                    f"once it matches {english}, run '{current}'",
                )
            )
        elif t.outdated:
            fields = ", ".join(t.outdated)
            warnings.append(
                Problem(
                    t.source,
                    *t.position,
                    "translates",
                    f"outdated: the English {fields} changed since this translation",
                    f"see the English changes with 'git log -p -- {english}', update the "
                    f"translation, then run '{current}'",
                )
            )
    return warnings


def _file_problem(document: SourceDocument, message: str, fix: str) -> Problem:
    return Problem(document.path, 1, 1, "file", message, fix)


@dataclass(frozen=True)
class LanguageStatus:
    """How much of the glossary a language has: its translations up to date with their English
    terms, those that are not (outdated, or recording no English version), and the terms
    without a translation."""

    language: Language
    current: tuple[Translation, ...]
    outdated: tuple[Translation, ...]
    missing: tuple[Term, ...]


def language_status(
    terms: tuple[Term, ...], translations: tuple[Translation, ...], language: Language
) -> LanguageStatus:
    """``language``'s status, its translations and missing terms in the order of slugs."""
    mine = [t for t in translations if t.language == language.code]
    done = {t.slug for t in mine}
    return LanguageStatus(
        language,
        tuple(t for t in mine if t.stamped and not t.outdated),
        tuple(t for t in mine if t.outdated or not t.stamped),
        tuple(t for t in terms if t.slug not in done),
    )

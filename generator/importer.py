"""``glossary import SOURCE``: term files from a glossary kept as Markdown files with YAML front
matter, the layout of Hugo sites. Two kinds of front matter are read:

- the Kubernetes glossary's: ``title``, ``id``, ``full_link``, ``short_description``, ``aka``,
  ``tags``, and a body whose first part, up to ``<!--more-->``, is the short definition;
- ``title``, ``category``, ``tags``, ``status``, and a body in ``##`` sections.

Each source file becomes ``terms/<slug>.yaml`` (the slug from ``id``, else from the title),
never over an existing file. The summary is the short description, or the body's first
sentence (cut at a sentence end within 200 characters). ``## Definition``, ``## Examples``
and the sections the schema knows (``## Usage note``, ``## Why it matters``,
``## Limitations``) fill those fields; any other section is kept in the explanation, as a
``###`` subheading. Links between terms (``glossary_tooltip`` shortcodes, links to a page whose
last path segment is an imported or existing slug) become ``[[slug|text]]``. Categories that
``terms/_categories.yaml`` lacks are declared there.

Nothing is dropped silently: a file that is not a term is reported as skipped, with why; other
shortcodes are reported at their line and left in the text, where ``glossary check`` refuses
them, so a person decides what each meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import schema
from generator.schema import SUMMARY_MAX_LENGTH, is_slug, site_path_segments, slugify

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_TOOLTIP = re.compile(
    r"\{\{[<%]\s*glossary_tooltip\s+(?P<args>[^}]*?)\s*[>%]\}\}", re.IGNORECASE | re.DOTALL
)
_ARG = re.compile(r'(\w+)="([^"]*)"')
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL)
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\[\]\n]+)\]\((?P<target>[^)\s]+)\)")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_LIST_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+", re.MULTILINE)
# What the two layouts' front matter holds that becomes part of a term file.
_FRONT_MATTER_KEYS = {"title", "id", "full_link", "short_description", "aka", "tags", "category"}
_FIELDS_BY_HEADING = {
    "definition": "definition",
    "examples": "examples",
    "example": "examples",
    **{spec.section.casefold(): spec.name for spec in schema.section_fields() if spec.section},
}


@dataclass
class ImportReport:
    """What an import did: the term files written, and what needs a person (located lines)."""

    written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_glossary(source: Path, terms_dir: Path, category: str | None) -> ImportReport:
    """Write a term file into ``terms_dir`` for each Markdown file under ``source``."""
    report = ImportReport()
    files = sorted(source.rglob("*.md"))
    parsed = {path: _read(path, source, report) for path in files}
    entries = {path: entry for path, entry in parsed.items() if entry is not None}
    slugs = {entry.slug for entry in entries.values()}
    slugs |= {path.stem for path in terms_dir.glob("[!_]*.yaml")}
    categories = _declared_categories(terms_dir)
    for path, entry in entries.items():
        where = path.relative_to(source).as_posix()
        target = terms_dir / f"{entry.slug}.yaml"
        if target.exists():
            report.notes.append(
                f"{where}:1:1: skipped: terms/{entry.slug}.yaml exists already; rename one of "
                "the two, or merge them by hand"
            )
            continue
        key = entry.category or category
        if key is None:
            report.notes.append(
                f"{where}:1:1: skipped: no category; give one with --category, or add "
                "'category:' to its front matter"
            )
            continue
        key = slugify(key)
        categories.setdefault(key, key.replace("-", " ").capitalize())
        term = entry.term_data(key, slugs, where, report)
        target.write_text(_dump(term), encoding="utf-8")
        report.written.append(f"terms/{entry.slug}.yaml")
    _write_categories(terms_dir, categories)
    return report


@dataclass
class _Entry:
    slug: str
    title: str
    front: dict[str, Any]
    body: str
    body_line: int  # the source line the body starts on
    category: str | None

    def term_data(
        self, category: str, slugs: set[str], where: str, report: ImportReport
    ) -> dict[str, Any]:
        """The term file's fields, in the schema's order."""
        body = _converted(self.body, slugs, where, self.body_line, report)
        short, rest = "", body
        if _MORE.search(body):  # the Kubernetes layout: the short definition comes first
            short, rest = (part.strip() for part in _MORE.split(body, maxsplit=1))
        lead, fields, others = _sections(rest)
        explained = [lead] if lead else []
        definition = (
            fields.pop("definition", "") or short or (explained.pop(0) if explained else "")
        )
        explanation = "\n\n".join([*explained, *others])
        described = self.front.get("short_description")
        summary_source = described if isinstance(described, str) and described else definition
        data: dict[str, Any] = {
            "term": self.title,
            "summary": _summary(_converted(summary_source, slugs, where, 1, report)),
            "aliases": _strings(self.front.get("aka")),
            "category": category,
            "tags": [slugify(tag) for tag in _strings(self.front.get("tags"))],
            "definition": definition,
            "explanation": explanation,
            **fields,
        }
        link = self.front.get("full_link")
        if isinstance(link, str) and link.startswith(("https://", "http://")):
            data["see_also"] = [{"title": f"{self.title} in the original glossary", "url": link}]
        elif link:
            report.notes.append(
                f"{where}:1:1: full_link: '{link}' is not a full address, so it was left out; "
                "add it under see_also as https://..."
            )
        ordered = [spec.name for spec in schema.TERM_FIELDS]
        return {name: data[name] for name in ordered if data.get(name)}


def _read(path: Path, source: Path, report: ImportReport) -> _Entry | None:
    where = path.relative_to(source).as_posix()
    text = path.read_text(encoding="utf-8", errors="replace")
    match = _FRONT_MATTER.match(text)
    front: Any = None
    if match is not None:
        try:
            front = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            report.notes.append(f"{where}:{line}:1: skipped: its front matter is not YAML")
            return None
    if not isinstance(front, dict) or not isinstance(front.get("title"), str):
        why = "no front matter with a title" if match is None or front is None else "no title"
        report.notes.append(f"{where}:1:1: skipped: {why}, so it is not a term (an index page?)")
        return None
    title = front["title"].strip()
    ident = front.get("id")
    slug = ident if isinstance(ident, str) and is_slug(ident) else slugify(title)
    slug = slug or slugify(path.stem)
    body = text[match.end() :] if match else text
    body_line = text[: match.end()].count("\n") + 1 if match else 1
    category = front.get("category") if isinstance(front.get("category"), str) else None
    for key in sorted(set(front) - _FRONT_MATTER_KEYS, key=str):
        report.notes.append(
            f"{where}:1:1: {key}: this front matter key has no field in the term format, so it "
            "was left out; carry it over by hand if it matters"
        )
    return _Entry(slug, title, front, body.strip("\n"), body_line, category)


def _converted(
    text: str, slugs: set[str], where: str, first_line: int, report: ImportReport
) -> str:
    """``text`` with the links between terms written as ``[[slug|text]]``; other shortcodes
    are reported and kept."""

    def tooltip(match: re.Match[str]) -> str:
        args = dict(_ARG.findall(match["args"]))
        slug, shown = args.get("term_id", ""), args.get("text", "")
        if is_slug(slug) and shown and not set(shown) & set("[]|"):
            return _term_link(slug, shown)
        return match.group()

    def link(match: re.Match[str]) -> str:
        target = match["target"].split("#")[-1] if "#term-" in match["target"] else match["target"]
        target = target.removeprefix("term-")
        segments = site_path_segments(target)
        slug = segments[-1] if segments else ""
        if "://" in target or slug not in slugs:
            return match.group()
        return _term_link(slug, match["text"])

    text = _LINK.sub(link, _TOOLTIP.sub(tooltip, text))
    for match in _SHORTCODE.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        shown = " ".join(match.group().split())[:60]
        report.notes.append(
            f"{where}:{line}:1: shortcode: '{shown}' has no Markdown equivalent; kept, and "
            "glossary check will point at it: write what it stands for"
        )
    return text


def _term_link(slug: str, text: str) -> str:
    """``[[slug]]`` when the text is the slug's own words, else ``[[slug|text]]``."""
    return f"[[{slug}]]" if text.casefold() == slug.replace("-", " ") else f"[[{slug}|{text}]]"


def _sections(body: str) -> tuple[str, dict[str, Any], list[str]]:
    """A body in ``##`` sections: the text before the first one, the fields that sections of
    known headings fill, and the other sections as ``###`` subsections (a field may not hold
    a level-2 heading)."""
    parts = _SECTION.split(body)
    fields: dict[str, Any] = {}
    others = []
    for heading, text in zip(parts[1::2], parts[2::2], strict=True):
        name = _FIELDS_BY_HEADING.get(heading.strip().casefold())
        text = text.strip()
        if name == "examples" and _LIST_ITEM.match(text):
            fields[name] = [item.strip() for item in _LIST_ITEM.split(text) if item.strip()]
        elif name is not None and name not in fields and text:
            fields[name] = text
        elif text:
            others.append(f"### {heading.strip()}\n\n{text}")
    return parts[0].strip(), fields, others


def _summary(text: str) -> str:
    """The first sentence of ``text`` as plain text, cut at a sentence end within the limit."""
    plain = " ".join(re.sub(r"\[\[[^|\]]+\|([^\]]+)\]\]|\[\[([^\]]+)\]\]", r"\1\2", text).split())
    ends = [m.end() for m in _SENTENCE_END.finditer(plain) if m.end() <= SUMMARY_MAX_LENGTH]
    return plain[: ends[0]] if ends else plain[:SUMMARY_MAX_LENGTH]


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(item).strip() for item in items if str(item).strip()]


def _declared_categories(terms_dir: Path) -> dict[str, str]:
    path = terms_dir / "_categories.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    return {str(k): str(v.get("title", k)) for k, v in (data or {}).items() if isinstance(v, dict)}


def _write_categories(terms_dir: Path, titles: dict[str, str]) -> None:
    """Declare in ``_categories.yaml`` the categories it lacks, keeping what it has."""
    path = terms_dir / "_categories.yaml"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    known = set(_declared_categories(terms_dir))
    added = [
        f"{key}:\n  title: {title}\n  description: Terms imported under {title}.\n"
        for key, title in titles.items()
        if key not in known
    ]
    if added:
        path.write_text(text + ("\n" if text and not text.endswith("\n") else "") + "".join(added))


class _TermDumper(yaml.SafeDumper):
    """Writes a text of several lines as a block (``|``), as a person writes a term file."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_TermDumper.add_representer(str, _text)


def _dump(data: dict[str, Any]) -> str:
    header = "# yaml-language-server: $schema=../schema/term.schema.json\n"
    return header + yaml.dump(
        data, Dumper=_TermDumper, sort_keys=False, allow_unicode=True, width=96
    )

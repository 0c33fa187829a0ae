"""The words the generated pages say themselves (headings, labels), in each language the site
has pages in. A language declared in ``terms/_languages.yaml`` without words here gets the
English ones; a section field's heading in English is its ``FieldSpec.section``.

Material translates its own interface (search, navigation) per page: see
``overrides/partials/language.html``.
"""

# ruff: noqa: RUF001  (Chinese text is punctuated with full-width commas, colons, brackets)
from __future__ import annotations

from collections.abc import Mapping

ENGLISH: Mapping[str, str] = {
    "lang": "en",
    "home": "Home",
    "category": "Category",
    "also_known_as": "Also known as",
    "tags": "Tags",
    "on_this_page": "On this page",
    "definition": "Definition",
    "read_more": "Read more",
    "formula": "Formula",
    "where": "where",
    "explanation": "How it works",
    "examples": "Examples",
    "faq": "Frequently asked questions",
    "related": "Related terms",
    "backlinks": "Referenced by",
    "organizations": "Organizations",
    "references": "References",
    "see_also": "See also",
    "more_in": "More in {category}",
    "all_terms_in": "All {count} terms in {category}",
    "pager": "Previous and next terms",
    "previous": "Previous",
    "next": "Next",
    "a_to_z": "A\u2013Z index",
    "figure": "Figure {number}: ",
    "in_english": "",
}

_GERMAN = {
    "lang": "de",
    "home": "Start",
    "category": "Kategorie",
    "also_known_as": "Auch bekannt als",
    "tags": "Schlagwörter",
    "on_this_page": "Auf dieser Seite",
    "definition": "Definition",
    "read_more": "Weiterlesen",
    "formula": "Formel",
    "where": "wobei",
    "explanation": "Funktionsweise",
    "examples": "Beispiele",
    "usage_note": "Hinweise zur Verwendung",
    "why_it_matters": "Warum es wichtig ist",
    "limitations": "Grenzen",
    "faq": "Häufige Fragen",
    "related": "Verwandte Begriffe",
    "backlinks": "Erwähnt in",
    "organizations": "Organisationen",
    "references": "Quellen",
    "see_also": "Siehe auch",
    "more_in": "Mehr aus {category}",
    "all_terms_in": "Alle {count} Begriffe in {category}",
    "pager": "Vorheriger und nächster Begriff",
    "previous": "Vorheriger",
    "next": "Nächster",
    "a_to_z": "Alle übersetzten Begriffe",
    "figure": "Abbildung {number}: ",
    "in_english": "Dieser Abschnitt ist noch nicht übersetzt und wird auf Englisch gezeigt.",
    "language_home": "Das KI-Glossar auf Deutsch",
    "language_intro": (
        "{count} der {total} Begriffe des Glossars sind ins Deutsche übersetzt. Die übrigen "
        "Begriffe stehen im [englischen Glossar]({english}); Links auf sie führen dorthin."
    ),
    "translated_terms": "Übersetzte Begriffe",
    "status_title": "Stand der deutschen Übersetzung",
    "status_link": "Stand der Übersetzung",
    "status_intro": (
        "Von {total} Begriffen sind {current} übersetzt und aktuell, {outdated} veraltet "
        "(der englische Text hat sich seit der Übersetzung geändert) und {missing} noch nicht "
        "übersetzt."
    ),
    "status_outdated": "Veraltete Übersetzungen",
    "status_missing": "Noch nicht übersetzt",
    "status_missing_count": "{count} Begriffe, auf Englisch",
    "status_changed": "geändert: {fields}",
    "status_unstamped": "vermerkt nicht, welche englische Fassung sie übersetzt",
    "status_help": (
        "Mitmachen: `glossary translate de <slug>` beginnt eine Übersetzung, "
        "`glossary translations --list` zeigt, was fehlt (siehe CONTRIBUTING.md)."
    ),
    "none": "Keine.",
}

_CHINESE = {
    "lang": "zh",
    "home": "首页",
    "category": "类别",
    "also_known_as": "又称",
    "tags": "标签",
    "on_this_page": "本页内容",
    "definition": "定义",
    "read_more": "延伸阅读",
    "formula": "公式",
    "where": "其中",
    "explanation": "工作原理",
    "examples": "示例",
    "usage_note": "使用说明",
    "why_it_matters": "为什么重要",
    "limitations": "局限性",
    "faq": "常见问题",
    "related": "相关术语",
    "backlinks": "提及本术语的条目",
    "organizations": "相关机构",
    "references": "参考文献",
    "see_also": "另见",
    "more_in": "{category} 类的更多术语",
    "all_terms_in": "{category} 类的全部 {count} 个术语",
    "pager": "上一个和下一个术语",
    "previous": "上一个",
    "next": "下一个",
    "a_to_z": "全部已翻译术语",
    "figure": "图 {number}：",
    "in_english": "本节尚未翻译，以下为英文原文。",
    "language_home": "AI 术语表（简体中文）",
    "language_intro": (
        "术语表共 {total} 个术语，其中 {count} 个已译成中文。其余术语见[英文术语表]({english})，"
        "指向它们的链接也会打开英文页面。"
    ),
    "translated_terms": "已翻译的术语",
    "status_title": "中文翻译进度",
    "status_link": "翻译进度",
    "full_stop": "。",
    "status_intro": (
        "共 {total} 个术语：{current} 个已翻译且为最新，{outdated} 个已过时"
        "（英文原文在翻译后有改动），{missing} 个尚未翻译。"
    ),
    "status_outdated": "已过时的翻译",
    "status_missing": "尚未翻译",
    "status_missing_count": "{count} 个术语（英文）",
    "status_changed": "有改动的字段：{fields}",
    "status_unstamped": "未记录所译的英文版本",
    "status_help": (
        "参与翻译：`glossary translate zh <slug>` 开始翻译一个术语，"
        "`glossary translations --list` 列出缺少的翻译（见 CONTRIBUTING.md）。"
    ),
    "none": "无。",
}

_ENGLISH_PAGES = {
    "language_home": "The AI Glossary in {name}",
    "language_intro": (
        "{count} of the glossary's {total} terms are translated. The other terms are in the "
        "[English glossary]({english}), where links to them lead."
    ),
    "translated_terms": "Translated terms",
    "status_title": "Translation status: {name}",
    "status_link": "Translation status",
    "status_intro": (
        "Of {total} terms, {current} are translated and current, {outdated} outdated (their "
        "English text changed since they were translated) and {missing} not translated yet."
    ),
    "status_outdated": "Outdated translations",
    "status_missing": "Not translated yet",
    "status_missing_count": "{count} terms, in English",
    "status_changed": "changed: {fields}",
    "status_unstamped": "does not record which English version it translates",
    "status_help": (
        "To help: `glossary translate {code} <slug>` starts a translation, and "
        "`glossary translations --list` lists what is missing (see CONTRIBUTING.md)."
    ),
    "none": "None.",
    "in_english": "This section is not translated yet: it is shown in English.",
    "full_stop": ".",
}

_LANGUAGES: Mapping[str, Mapping[str, str]] = {"de": _GERMAN, "zh": _CHINESE}


def interface_text(code: str) -> dict[str, str]:
    """The words of the pages in language ``code`` (English where it has none)."""
    return {**ENGLISH, **_ENGLISH_PAGES, "lang": code, **_LANGUAGES.get(code, {})}

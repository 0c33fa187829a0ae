"""validate: every mistake is reported, located, with what is wrong and how to fix it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.model import Category, FaqEntry, FigureSpec, Reference, Term
from plots.registry import KINDS
from tests.generator.conftest import dump

BAD = Path(__file__).parent / "fixtures" / "bad"
# Other people add figure kinds; the hints list whatever the registry holds.

_UNIQUE = "names and aliases must be unique across the glossary; remove or rename one of them"
_START_NEW = "start from 'glossary new \"Term Name\"', which writes every required field"
_YAML_FIX = (
    "fix the YAML syntax at this spot (quote text that contains ': ' or starts with a symbol)"
)
_SUMMARY_DETAILS = "details belong in 'definition'"
_PLAIN = "write plain text: it is shown in tooltips and search results as is"
_RENAME = "rename it to a slug of lowercase letters, digits and hyphens"
_HTML = (
    "write Markdown instead of HTML; to show a '<', write it inside `code` or math, "
    "or put a space after it"
)
_LINK = "link to another term with [[slug]], or to a full address starting with https://"
_DEFINITION = (
    "a reference definition ('[label]: address') is not allowed; "
    "write the link in place: [text](https://...), or [[slug]] for a term"
)
_ALIASES = "write the values out instead of repeating them with & anchors and * aliases"

# Fixture file under fixtures/bad/ -> every line `glossary check` must print for it.
EXPECTED: dict[str, list[str]] = {
    "missing-required.yaml": [
        "terms/missing-required.yaml:2:1: definition: this required field is missing or empty; "
        "add 'definition:' (What the term means, precisely.)"
    ],
    "unknown-key.yaml": [
        "terms/unknown-key.yaml:6:1: tagz: unknown field; "
        "remove it or fix its name; did you mean 'tags'?"
    ],
    "list-instead-of-text.yaml": [
        "terms/list-instead-of-text.yaml:5:13: definition: must be text, got a list; "
        "write the text after '|' on the following lines, indented"
    ],
    "text-instead-of-list.yaml": [
        "terms/text-instead-of-list.yaml:6:10: aliases: must be a list, got 'TIOL'; "
        "write one item per line, each starting with '- '"
    ],
    "year-as-string.yaml": [
        "terms/year-as-string.yaml:9:11: references[0].year: must be a year, got '2015'; "
        "write the year as a number, e.g. 2015"
    ],
    "bool-as-text.yaml": [
        "terms/bool-as-text.yaml:2:7: term: must be text, got the boolean true; "
        "put the value in quotes"
    ],
    "summary-too-long.yaml": [
        "terms/summary-too-long.yaml:3:10: summary: is 202 characters long, over the limit of "
        f"200; shorten it to one plain sentence; {_SUMMARY_DETAILS}"
    ],
    "summary-markdown.yaml": [
        f"terms/summary-markdown.yaml:3:10: summary: contains Markdown or HTML; {_PLAIN}"
    ],
    "summary-html.yaml": [
        f"terms/summary-html.yaml:3:10: summary: contains Markdown or HTML; {_PLAIN}"
    ],
    "summary-two-sentences.yaml": [
        "terms/summary-two-sentences.yaml:3:10: summary: must be exactly one sentence; "
        f"write one sentence ending with a full stop; {_SUMMARY_DETAILS}"
    ],
    "non-http-url.yaml": [
        "terms/non-http-url.yaml:10:10: references[0].url: 'ftp://example.org/paper.pdf' is not "
        "an http(s) URL; write a full address starting with https://"
    ],
    "related-missing.yaml": [
        "terms/related-missing.yaml:6:32: related[1]: unknown term 'batch-normalisation'; "
        "did you mean 'batch-normalization'?"
    ],
    "related-self.yaml": [
        "terms/related-self.yaml:8:5: related[1]: a term cannot be related to itself; "
        "remove 'related-self' from related"
    ],
    "explicit-link-unknown.yaml": [
        "terms/explicit-link-unknown.yaml:7:29: definition: unknown term 'batch-normalisation' in "
        "[[batch-normalisation]]; did you mean 'batch-normalization'?"
    ],
    "explicit-link-self.yaml": [
        "terms/explicit-link-self.yaml:10:7: faq[0].a: a term cannot link to itself; "
        "replace [[explicit-link-self|this page]] with plain text"
    ],
    "explicit-link-empty-text.yaml": [
        "terms/explicit-link-empty-text.yaml:10:5: examples[1]: [[batch-normalization|]] has no "
        "text after '|'; write the link's text after '|', or write [[batch-normalization]] to "
        "show the term's name"
    ],
    "duplicate-item.yaml": [
        "terms/duplicate-item.yaml:6:16: tags[1]: 'Vision' is listed twice; remove the repetition"
    ],
    "undeclared-category.yaml": [
        "terms/undeclared-category.yaml:4:11: category: unknown category 'normalisation'; "
        "use a category declared in terms/_categories.yaml; did you mean 'normalization'?"
    ],
    "unknown-figure-kind.yaml": [
        "terms/unknown-figure-kind.yaml:7:11: figures[0].kind: unknown figure kind "
        "'normalised-activations'; did you mean 'normalized-activations'? "
        f"use one of: {', '.join(sorted(KINDS))}"
    ],
    "figure-param-out-of-range.yaml": [
        "terms/figure-param-out-of-range.yaml:9:37: figures[0].params.channels: must be at most "
        "64, got 100; use a value from 1 to 64 (default 8)"
    ],
    "figure-param-unknown.yaml": [
        "terms/figure-param-unknown.yaml:10:16: figures[0].params.chanels: unknown param "
        "'chanels' for figure kind 'normalized-activations'; did you mean 'channels'? "
        f"allowed params: {', '.join(KINDS['normalized-activations'].params)}"
    ],
    "Bad_Name.yaml": [
        "terms/Bad_Name.yaml:1:1: file: 'Bad_Name.yaml' is not a valid term file name; "
        f"{_RENAME}, e.g. 'bad-name.yaml' (reserved: category, figures, index, tags)"
    ],
    "index.yaml": [
        "terms/index.yaml:1:1: file: 'index.yaml' is not a valid term file name; "
        f"{_RENAME}, e.g. 'index-term.yaml' (reserved: category, figures, index, tags)"
    ],
    "duplicate-name.yaml": [
        "terms/duplicate-name.yaml:2:7: term: 'batch normalization' is already the name of "
        f"terms/batch-normalization.yaml; {_UNIQUE}"
    ],
    "duplicate-alias.yaml": [
        "terms/duplicate-alias.yaml:6:15: aliases[1]: 'bn' is already the alias of "
        f"terms/batch-normalization.yaml; {_UNIQUE}"
    ],
    "not-a-mapping.yaml": [
        f"terms/not-a-mapping.yaml:1:1: file: the file is not a mapping of fields; {_START_NEW}"
    ],
    "empty.yaml": [f"terms/empty.yaml:1:1: file: the file is empty; {_START_NEW}"],
    "list-glued-to-paragraph.yaml": [
        "terms/list-glued-to-paragraph.yaml:7:3: definition: the list that starts on this line "
        "needs a blank line before it; add an empty line before this line, or it renders as "
        "part of the paragraph"
    ],
    "yaml-syntax-error.yaml": [
        "terms/yaml-syntax-error.yaml:3:14: yaml: mapping values are not allowed in this "
        f"context; {_YAML_FIX}"
    ],
    "tab-indentation.yaml": [
        "terms/tab-indentation.yaml:7:1: yaml: a tab character is not allowed here; "
        "indent with spaces, not tabs"
    ],
    "duplicate-key.yaml": [
        "terms/duplicate-key.yaml:6:1: summary: the key 'summary' appears twice in this mapping; "
        "keep one of them (the first is on line 3)"
    ],
    "python-tag.yaml": [
        "terms/python-tag.yaml:3:10: summary: the YAML tag '!!python/object/apply:os.system' is "
        "not allowed; remove the tag: term files hold only text, numbers, lists and mappings"
    ],
    "merge-key.yaml": [
        "terms/merge-key.yaml:7:5: references[0]: merge keys ('<<') are not allowed; "
        "write the keys out in full"
    ],
    "alias-bomb.yaml": [
        "terms/alias-bomb.yaml:6:43: yaml: the document expands to more than 20,000 values "
        f"(YAML aliases?); {_ALIASES}"
    ],
    "too-large.yaml": [
        "terms/too-large.yaml:1:1: file: the file is 262,172 bytes, over the limit of 262,144; "
        "shorten the text; a glossary entry should not need this much"
    ],
    "not-utf8.yaml": [
        "terms/not-utf8.yaml:3:37: file: byte 0xe9 is not valid UTF-8; save the file as UTF-8"
    ],
    "control-character.yaml": [
        "terms/control-character.yaml:3:46: yaml: the control character U+0001 is not allowed; "
        "delete it (most editors do not show it)"
    ],
    "escaped-control-character.yaml": [
        "terms/escaped-control-character.yaml:3:10: summary: the text contains the control "
        "character U+0000; remove it (it is probably written as an escape such as \\x01 in quotes)"
    ],
    "wrong-extension.yml": [
        "terms/wrong-extension.yml:1:1: file: only files ending in .yaml are read, so this one is "
        "ignored; rename it to 'wrong-extension.yaml'"
    ],
    "url-with-quote.yaml": [
        "terms/url-with-quote.yaml:8:10: see_also[0].url: a URL cannot hold '\"'; percent-encode "
        "it as %22, as the browser's address bar shows"
    ],
    "template-syntax.yaml": [
        'terms/template-syntax.yaml:6:14: definition: \'{{< glossary_tooltip text="pods" '
        "term...' is template syntax of another site generator; write the term link it stands "
        "for: [[pod|pods]]"
    ],
    "term-link-in-summary.yaml": [
        "terms/term-link-in-summary.yaml:3:40: summary: '[[batch-normalization|batch norm]]' is "
        "a term link, which this plain-text field shows as typed; write the words alone "
        "('batch norm'); term links belong in the Markdown fields, such as the definition",
        "terms/term-link-in-summary.yaml:7:30: faq[0].q: '[[layer-normalization]]' is a term "
        "link, which this plain-text field shows as typed; write the words alone ('layer "
        "normalization'); term links belong in the Markdown fields, such as the definition",
    ],
    "heading-in-field.yaml": [
        "terms/heading-in-field.yaml:9:3: explanation: this line is a heading of level 1 or 2, "
        "the levels of the page's own title and sections; make it a subheading with ### (or "
        "more #), or write it as **bold text**",
        "terms/heading-in-field.yaml:13:3: explanation: this line is a heading of level 1 or 2, "
        "the levels of the page's own title and sections; make it a subheading with ### (or "
        "more #), or write it as **bold text**",
    ],
    "autolink-text.yaml": [
        "terms/autolink-text.yaml:5:11: autolink: must be true, false or a list of phrases, got "
        "'autolink text phrase'; write 'autolink: false' to link this term only where a text "
        "writes [[slug]], or list the phrases that should link to it, e.g. "
        "'autolink: [host machine]'"
    ],
    "autolink-phrase-syntax.yaml": [
        "terms/autolink-phrase-syntax.yaml:5:12: autolink[0]: a name cannot contain '['; "
        "names appear in links, indexes and search: write it without [ ] < > { } ` $ | \\",
        "terms/autolink-phrase-syntax.yaml:5:40: autolink[2]: 'The Phrase' is listed twice; "
        "remove the repetition",
    ],
    "alias-is-own-name.yaml": [
        "terms/alias-is-own-name.yaml:4:16: aliases[1]: 'alias own name' is the term's own name; "
        "remove it: aliases are the term's other names"
    ],
    "related-not-a-slug.yaml": [
        "terms/related-not-a-slug.yaml:7:5: related[0]: 'Batch Normalization' is not a slug; "
        "use lowercase letters, digits and hyphens, e.g. 'layer-normalization'"
    ],
    # Markdown that could put HTML of its own on the page (generator/markdown/safety.py)
    "markdown-html.yaml": [
        f"terms/markdown-html.yaml:7:3: definition: HTML is not allowed here: '<script>'; {_HTML}"
    ],
    "markdown-html-comment.yaml": [
        "terms/markdown-html-comment.yaml:7:19: explanation: HTML is not allowed here: '<!--'; "
        + _HTML
    ],
    "markdown-javascript-link.yaml": [
        "terms/markdown-javascript-link.yaml:9:22: faq[0].a: the link target "
        f"'javascript:alert(1)' is not allowed; {_LINK}"
    ],
    "markdown-obfuscated-link.yaml": [
        "terms/markdown-obfuscated-link.yaml:7:31: examples[0]: the link target "
        f"'jav&#x61;script:alert(1)' is not allowed; {_LINK}"
    ],
    "markdown-reference-definition.yaml": [
        f"terms/markdown-reference-definition.yaml:8:3: definition: {_DEFINITION}"
    ],
    "markdown-reference-in-quote.yaml": [
        f"terms/markdown-reference-in-quote.yaml:8:5: definition: {_DEFINITION}"
    ],
    "markdown-external-image.yaml": [
        "terms/markdown-external-image.yaml:6:17: definition: images are not allowed in a "
        "term's text; remove it: computed figures go under 'figures', and a reader's browser "
        "must not load anything from another site"
    ],
    "markdown-internal-link.yaml": [
        "terms/markdown-internal-link.yaml:6:27: definition: '[term:' is the generator's own "
        "link syntax; link to another term with [[slug]]"
    ],
    "markdown-many-headings.yaml": [
        "terms/markdown-many-headings.yaml:55:3: explanation: has 13 headings (or lines of '=' "
        "or '-'), over the limit of 12; use fewer sections: a glossary entry reads best in a few"
    ],
    "markdown-definition-chain.yaml": [
        "terms/markdown-definition-chain.yaml:107:3: definition: has 51 definition-list items "
        "(lines starting with ': '), over the limit of 50; use fewer, or a table"
    ],
    "markdown-relative-link.yaml": [
        "terms/markdown-relative-link.yaml:6:46: definition: the link target "
        "'batch-normalization.md' is a path of another site, which a term file cannot know; "
        "did you mean the term 'batch-normalization'? write [[batch-normalization]]"
    ],
    "markdown-attribute-list.yaml": [
        "terms/markdown-attribute-list.yaml:7:3: definition: '{ onclick=\"alert(1)\" }' would "
        "set HTML attributes (an attribute list); remove it; to show braces, write them inside "
        "`code` or math, or as \\{"
    ],
    "markdown-snippet.yaml": [
        "terms/markdown-snippet.yaml:8:3: definition: '--8<--' would include another file into "
        "the page; remove it, and write the text itself here"
    ],
    "markdown-fence-attributes.yaml": [
        "terms/markdown-fence-attributes.yaml:9:6: usage_note: a code fence may name only its "
        "language, not '{.python onclick=\"alert(1)\"}'; write the language alone after the "
        "fence, e.g. ```python"
    ],
    "markdown-unclosed-fence.yaml": [
        "terms/markdown-unclosed-fence.yaml:9:3: usage_note: this code fence is never closed; "
        "end the code with a line holding exactly '```', indented like this one"
    ],
    "markdown-unsafe-html.yaml": [
        "terms/markdown-unsafe-html.yaml:7:10: definition: would become unsafe HTML on the page: "
        "the attribute list '{onclick=alert(1)}'; write plain Markdown: no HTML, no '{...}' "
        "attribute lists, links only to https:// addresses or to terms as [[slug]]"
    ],
    "symbols-without-formula.yaml": [
        "terms/symbols-without-formula.yaml:6:1: symbols: there is no formula for this legend; "
        "add 'formula:', or remove 'symbols'"
    ],
    "symbol-with-dollars.yaml": [
        "terms/symbol-with-dollars.yaml:8:14: symbols[0].symbol: cannot contain '$'; write the "
        "LaTeX alone: the page adds the $"
    ],
    "symbol-twice.yaml": [
        "terms/symbol-twice.yaml:10:14: symbols[2].symbol: 'x' is explained twice; remove the "
        "repetition"
    ],
    "symbol-meaning-two-lines.yaml": [
        "terms/symbol-meaning-two-lines.yaml:9:14: symbols[0].meaning: must be on one line; "
        "join the lines into one"
    ],
    "symbol-too-long.yaml": [
        "terms/symbol-too-long.yaml:8:13: symbols[0].symbol: is 104 characters long, over 100; "
        "shorten it to at most 100 characters"
    ],
    "figure-section-unknown.yaml": [
        "terms/figure-section-unknown.yaml:10:14: figures[0].section: 'Limitation' is not a "
        "heading of this term's page; name a section or a heading inside one, or remove "
        "'section'; did you mean 'Limitations'?"
    ],
    "figure-section-missing-field.yaml": [
        "terms/figure-section-missing-field.yaml:13:14: figures[0].section: 'Usage note' is not "
        "a heading of this term's page; name a section or a heading inside one, or remove "
        "'section'; the headings of this page: 'Definition', 'How it works', 'Which numbers "
        "are averaged'"
    ],
    "formula-dollars.yaml": [
        "terms/formula-dollars.yaml:7:3: formula: a formula cannot contain $$; remove them: the "
        "page puts the formula between lines of $$"
    ],
    "formula-html.yaml": [
        "terms/formula-html.yaml:7:15: formula: '<' followed by a letter would start HTML; "
        "write \\lt instead"
    ],
    "formula-blank-line.yaml": [
        "terms/formula-blank-line.yaml:9:3: formula: a formula cannot contain an empty line; "
        "remove the empty line (break lines with \\\\ inside an aligned environment)"
    ],
}


@pytest.fixture
def base_glossary(make_glossary, term_data):
    """Two valid terms that the bad fixtures refer to (by slug, name or alias)."""
    return make_glossary(
        {
            "batch-normalization": term_data(
                "Batch Normalization", aliases=["BatchNorm", "BN"], related=["layer-normalization"]
            ),
            "layer-normalization": term_data(
                "Layer Normalization", aliases=["LayerNorm"], related=["batch-normalization"]
            ),
        }
    )


def test_every_bad_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_bad_fixture_reports_exactly_the_expected_lines(
    fixture: str, base_glossary: Path, check_root, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(base_glossary)  # anything a tag could run would land here
    shutil.copy(BAD / fixture, base_glossary / "terms" / fixture)
    glossary, problems = check_root(base_glossary)
    assert problems == EXPECTED[fixture]
    assert {t.slug for t in glossary.terms} >= {"batch-normalization", "layer-normalization"}
    assert not list(base_glossary.rglob("python-tag-ran*"))


def test_all_bad_fixtures_together_report_every_problem(base_glossary: Path, check_root) -> None:
    for fixture in EXPECTED:
        shutil.copy(BAD / fixture, base_glossary / "terms" / fixture)
    _, problems = check_root(base_glossary)
    assert sorted(problems) == sorted(line for lines in EXPECTED.values() for line in lines)


def test_three_mistakes_in_one_file_give_three_located_problems(make_glossary, check_root) -> None:
    root = make_glossary(
        {
            "three-mistakes": (
                "term: Three Mistakes\n"
                "summary: One sentence with Markdown `code` in it.\n"
                "category: normalization\n"
                "definition: Defined.\n"
                "referencess: []\n"
                "see_also:\n"
                "  - title: Somewhere\n"
                "    url: www.example.org\n"
            )
        }
    )
    _, problems = check_root(root)
    assert problems == [
        "terms/three-mistakes.yaml:2:10: summary: contains Markdown or HTML; " + _PLAIN,
        "terms/three-mistakes.yaml:5:1: referencess: unknown field; remove it or fix its name; "
        "did you mean 'references'?",
        "terms/three-mistakes.yaml:8:10: see_also[0].url: 'www.example.org' is not an http(s) "
        "URL; write a full address starting with https://",
    ]


def test_valid_glossary_gives_terms_sorted_by_slug_and_no_problems(
    make_glossary, term_data, check_root
) -> None:
    root = make_glossary(
        {
            "zeta": term_data("Zeta", category="training", related=["alpha"]),
            "alpha": term_data(
                "Alpha",
                aliases=["  A1  "],
                definition="  Alpha, defined.\n",
                faq=[{"q": "Why? ", "a": "Because.\n"}],
                references=[
                    {
                        "title": "A Paper",
                        "authors": ["Ada Lovelace", "Alan Turing"],
                        "year": 1950,
                        "url": "https://doi.org/10.1093/mind/LIX.236.433",
                    }
                ],
                figures=[
                    {
                        "kind": "normalized-activations",
                        "caption": "Before and after.",
                        "params": {"norm": "layer"},
                    }
                ],
            ),
            "mid": term_data("Mid"),
        }
    )
    glossary, problems = check_root(root)
    assert problems == []
    assert [t.slug for t in glossary.terms] == ["alpha", "mid", "zeta"]
    assert glossary.categories == (
        Category("normalization", "Normalization", "Techniques that rescale activations."),
        Category("training", "Training", "Fitting a model to data."),
    )
    alpha = glossary.terms[0]
    assert isinstance(alpha, Term)
    assert alpha.source == "terms/alpha.yaml"
    assert alpha.aliases == ("A1",)
    assert alpha.definition == "Alpha, defined."
    assert alpha.faq == (FaqEntry("Why?", "Because."),)
    assert alpha.references == (
        Reference(
            "A Paper",
            ("Ada Lovelace", "Alan Turing"),
            1950,
            "https://doi.org/10.1093/mind/LIX.236.433",
        ),
    )
    assert alpha.figures == (
        FigureSpec("normalized-activations", "Before and after.", {"norm": "layer"}),
    )
    assert glossary.terms[2].related == ("alpha",)


def test_a_term_that_fails_its_own_checks_is_left_out_but_others_stay(
    make_glossary, term_data, check_root
) -> None:
    root = make_glossary({"good": term_data("Good"), "bad": term_data("Bad", summary=42)})
    glossary, problems = check_root(root)
    assert [t.slug for t in glossary.terms] == ["good"]
    assert problems == [
        "terms/bad.yaml:2:10: summary: must be text, got the int 42; put the value in quotes"
    ]


_CATEGORY_FIX = "write one entry per category: key: {title: ..., description: ...}"


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        pytest.param(
            None,
            "terms/_categories.yaml:1:1: file: the categories file is missing; create it with "
            "one entry per category: key: {title: ..., description: ...}",
            id="missing",
        ),
        pytest.param(
            "",
            "terms/_categories.yaml:1:1: file: the categories file must be a non-empty mapping; "
            + _CATEGORY_FIX,
            id="empty",
        ),
        pytest.param(
            "- normalization\n",
            "terms/_categories.yaml:1:1: file: the categories file must be a non-empty mapping; "
            + _CATEGORY_FIX,
            id="not-a-mapping",
        ),
        pytest.param(
            "Normalization:\n  title: Normalization\n  description: Rescaling.\n",
            "terms/_categories.yaml:1:1: Normalization: a category key must be a slug; "
            "use lowercase letters, digits and hyphens, e.g. 'language-models'",
            id="key-not-a-slug",
        ),
        pytest.param(
            "index:\n  title: Index\n  description: Everything.\n",
            "terms/_categories.yaml:1:1: index: 'index' is reserved for the list of categories; "
            "choose another key",
            id="key-reserved",
        ),
        pytest.param(
            "normalization:\n  title: Normalization\n",
            "terms/_categories.yaml:2:3: normalization: a category needs exactly 'title' and "
            "'description'; write: {title: Normalization, description: One line about it.}",
            id="missing-description",
        ),
        pytest.param(
            "normalization:\n  title: Normalization\n  description: Rescaling.\n  extra: x\n",
            "terms/_categories.yaml:2:3: normalization: a category needs exactly 'title' and "
            "'description'; write: {title: Normalization, description: One line about it.}",
            id="extra-key",
        ),
        pytest.param(
            "normalization:\n  title: [Normalization]\n  description: Rescaling.\n",
            "terms/_categories.yaml:2:10: normalization.title: must be plain text on one line; "
            "write it on one line",
            id="title-not-text",
        ),
        pytest.param(
            'normalization:\n  title: Normalization\n  description: "one\\ntwo"\n',
            "terms/_categories.yaml:3:16: normalization.description: must be plain text on one "
            "line; write it on one line",
            id="description-two-lines",
        ),
        pytest.param(
            "normalization: {title: Normalization, description: x}\nnormalization: {}\n",
            "terms/_categories.yaml:2:1: normalization: the key 'normalization' appears twice in "
            "this mapping; keep one of them (the first is on line 1)",
            id="duplicate-key",
        ),
    ],
)
def test_categories_file_errors(make_glossary, check_root, categories, expected) -> None:
    root = make_glossary({}, categories=categories)
    glossary, problems = check_root(root)
    assert problems == [expected]
    assert glossary.terms == ()


def test_valid_categories_keep_their_declared_order(make_glossary, check_root) -> None:
    root = make_glossary(
        {},
        categories=(
            "zebra: {title: Zebra, description: Z.}\nalpha: {title: Alpha, description: A.}\n"
        ),
    )
    glossary, problems = check_root(root)
    assert problems == []
    assert [c.key for c in glossary.categories] == ["zebra", "alpha"]


def test_a_new_template_with_empty_category_is_only_missing_not_unknown(
    make_glossary, check_root
) -> None:
    root = make_glossary(
        {"x": 'term: X\nsummary: A plain sentence.\ncategory: ""\ndefinition: Defined.\n'}
    )
    _, problems = check_root(root)
    assert problems == [
        "terms/x.yaml:3:1: category: this required field is missing or empty; "
        "add 'category:' (A key declared in terms/_categories.yaml.)"
    ]


@pytest.mark.parametrize(
    "broken",
    ["term: [unclosed\n", "", "- a list\n", b"term: caf\xe9\n"],
    ids=["syntax-error", "empty", "not-a-mapping", "not-utf8"],
)
def test_a_link_to_a_broken_file_is_not_reported_twice(
    make_glossary, term_data, check_root, broken
) -> None:
    root = make_glossary({"alpha": term_data("Alpha", related=["bravo"]), "bravo": broken})
    _, problems = check_root(root)
    assert len(problems) == 1
    assert problems[0].startswith("terms/bravo.yaml:")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"category": "Normalization"},
            "terms/x.yaml:3:11: category: 'Normalization' is not a slug; use lowercase letters, "
            "digits and hyphens, e.g. 'layer-normalization'",
        ),
        (
            {"figures": [{"kind": "Normalized Activations", "caption": "A figure."}]},
            "terms/x.yaml:6:9: figures[0].kind: 'Normalized Activations' is not a slug; use "
            "lowercase letters, digits and hyphens, e.g. 'layer-normalization'",
        ),
    ],
    ids=["category", "figure-kind"],
)
def test_a_value_that_is_not_a_slug_is_reported_once(
    make_glossary, term_data, check_root, fields, expected
) -> None:
    _, problems = check_root(make_glossary({"x": term_data("X", **fields)}))
    assert problems == [expected]


def test_a_file_with_a_byte_order_mark_and_crlf_line_ends_is_read_like_any_other(
    make_glossary, term_data, check_root
) -> None:
    text = dump(term_data("Windows", aliases=["Windows"]))
    assert text.splitlines()[4:6] == ["aliases:", "- Windows"]
    windows = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    root = make_glossary({"windows": windows})
    glossary, problems = check_root(root)
    assert problems == [  # located as in the same file with LF and no mark
        "terms/windows.yaml:6:3: aliases[0]: 'Windows' is the term's own name; "
        "remove it: aliases are the term's other names"
    ]
    (root / "terms" / "windows.yaml").unlink()
    fine = b"\xef\xbb\xbf" + dump(term_data("F")).replace("\n", "\r\n").encode()
    glossary, problems = check_root(make_glossary({"fine": fine}))
    assert problems == []
    assert glossary.terms[0].definition == "F is defined here, precisely."


@pytest.mark.parametrize(
    "url",
    ["https://example.org[x]", "https://[x]/", "https://", "https:///path", "http://:80/"],
)
def test_a_url_without_a_valid_host_is_reported(make_glossary, term_data, check_root, url):
    see_also = [{"title": "Elsewhere", "url": url}]
    _, problems = check_root(make_glossary({"x": term_data("X", see_also=see_also)}))
    assert problems == [
        f"terms/x.yaml:7:8: see_also[0].url: '{url}' is not an http(s) URL; "
        "write a full address starting with https://"
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"definition": "x" * 10_001},
            "terms/x.yaml:4:13: definition: is 10,001 characters long, over the limit of 10,000; "
            "shorten it; a glossary entry should not need this much",
        ),
        (
            {"formula": "x" * 2_001},
            "terms/x.yaml:5:10: formula: is 2,001 characters long, over the limit of 2,000; "
            "shorten it; a glossary entry should not need this much",
        ),
        (
            {"tags": [f"tag {i}" for i in range(101)]},
            "terms/x.yaml:6:1: tags: has 101 items, over the limit of 100; keep at most 100",
        ),
    ],
    ids=["markdown", "formula", "list"],
)
def test_sizes_are_bounded(make_glossary, term_data, check_root, fields, expected) -> None:
    _, problems = check_root(make_glossary({"x": term_data("X", **fields)}))
    assert problems == [expected]

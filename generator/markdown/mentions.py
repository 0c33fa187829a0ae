"""Mentions: links from a term's text to the other terms it names.

Links are made in a term's Markdown fields, taken in the order of the page: definition,
explanation, examples, the sections (usage note, why it matters, limitations: every field with
a ``section`` in the schema), then the FAQ answers.

Explicit links are written by the author: ``[[layer-normalization]]`` becomes a link whose text
is that term's name, ``[[layer-normalization|LayerNorm]]`` one with the given text (Markdown).
``glossary check`` reports an unknown slug, a link to the page itself and an empty text.

Automatic links: the first mention on a page of another term, by its name or an alias, becomes
a link to that term, its text kept as written. The rules:

- Words are runs of letters and digits, compared ignoring case. Between the words of a name the
  text may have spaces, one line break or a hyphen ("cross entropy" mentions Cross-Entropy);
  any other punctuation must be the name's own, e.g. "LoRA (Low-Rank Adaptation)".
- Whole words only: a mention never starts or ends inside a word, nor inside a compound joined
  by ``-``, ``.`` or ``_`` ("large-batch gradient descent" links "gradient descent";
  "torch.nn.LayerNorm" and "layer_norm" link nothing).
- The longest name wins: "layer normalization" mentions Layer Normalization, not a term named
  "Layer". When the longest name is the page's own term or one already linked on the page, its
  words stay plain: "self-attention" on the Self-Attention page does not link "attention".
- Two links never touch: a mention right next to a link, with only spaces or a hyphen between,
  stays plain and the term is linked at its next mention, so "batch normalization layer" links
  Batch Normalization but not a term named "Layer".
- The last word may be plural: "transformers", "batches", "accuracies".
- Acronyms (a name or alias written as one word with at least two capitals and no more lowercase
  letters than capitals: BN, SGD, LoRA, ReLU, RMSNorm) match only as written, so "ln" or "gn"
  in prose are not mentions; their plural adds "s" ("CNNs"). An acronym right after words that
  spell it out, in parentheses, is being defined for another meaning ("approximate nearest
  neighbour (ANN)" is not an artificial neural network): it is not linked anywhere on the page.
- Never inside code (fenced or inline), math (``$...$``, ``$$...$$``, ``\\(...\\)``,
  ``\\[...\\]``), headings, existing links, images and reference links, HTML tags and comments,
  autolinks or bare URLs. Explicit links in code or math are left as written, too.
- An explicit link counts as a mention: later mentions of that term on the page stay plain.

The cost of matching does not depend on the size of the glossary: ``MentionIndex`` maps every
name, and every start of a name, as a tuple of normalized words to its term; from each word of
a text, a scan reads on one word (one dictionary lookup) at a time only while the words read
are the start of some name.

It is also small per word, since a large glossary has millions of them: a text is split into
words by C code (``str.translate`` and ``str.split``, see ``_Words``), one ``map`` looks each
word up, and Python code runs only at the words that may start a name. Code, math and links,
where nothing is linked, are found by the scanner of protected regions (``regions``), shared
with the plain-text export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import compress, pairwise
from typing import Any

from generator.markdown.regions import protected_pieces
from generator.markdown.safety import adds_syntax, markdown_problems
from generator.markdown.term_links import markdown_link as link_to_page
from generator.markdown.term_links import plain
from generator.model import Term

_WORD = re.compile(r"[^\W_]+")
# Brackets in the words of a mention would end the link's text early (names cannot hold them).
_LINK_TEXT_SYNTAX = re.compile(r"[\[\]]")
_SOFT_SEPARATOR = re.compile(r"[ \t]*\n?[ \t]*|-")  # may stand between the words of any name
_JOINERS = ("-", ".", "_")  # two words joined by one of these, without spaces, are one compound

_Key = tuple[str, ...]  # words, casefolded, alternating with the separators between them

# Every ASCII character that is not a letter or digit becomes a space: on ASCII text, the words
# left are exactly those of _WORD, at the same positions.
_ASCII_GAPS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
_NON_WORD = re.compile(r"[\W_]")


@dataclass(frozen=True)
class Mention:
    """The term a name in the index stands for, and how the name must be written."""

    slug: str
    exact: tuple[str, ...] | None = None  # an acronym's words, in the only case that matches
    tail: str = ""  # punctuation that ends the name, e.g. ")"


_START_OF_A_NAME = Mention("")  # marks a key that only begins longer names

Names = tuple[tuple[str, tuple[str, ...]], ...]  # (slug, (name, *aliases)) of every term


@dataclass(frozen=True)
class MentionIndex:
    """Every term's name and aliases, built once per glossary.

    ``phrases`` maps a name's key, e.g. ``("batch", " ", "normalization")``, and that of its
    plural to its ``Mention``; every shorter start of a name, e.g. ``("batch",)``, maps to
    ``_START_OF_A_NAME`` so that a scan knows whether to read on. Acronyms of one word, which
    match only as written, are keyed as written in ``acronyms`` instead ("BN", "CNNs"), so that
    the many words that share their letters ("of", "to") cost no more than any other word.
    """

    phrases: Mapping[_Key, Mention]
    acronyms: Mapping[str, Mention] = field(default_factory=dict)
    # The first two words of every name of two words or more: a quick test of whether a word
    # that only starts names is followed by one that continues any of them.
    pairs: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def build(cls, terms: Iterable[Term]) -> MentionIndex:
        """The index of the names and aliases of ``terms``."""
        return cls.from_names(names_of(terms))

    @classmethod
    def from_names(cls, names_by_slug: Names) -> MentionIndex:
        """The index of terms given as ``names_of`` gives them: (slug, (name, *aliases))."""
        names = [(slug, name) for slug, spelled in names_by_slug for name in spelled]
        forms = [form for slug, name in names for form in _name_forms(slug, name)]
        phrases: dict[_Key, Mention] = {}
        # Plural forms first, so that a real name wins over another name's plural.
        for key, mention, _ in sorted(forms, key=lambda form: not form[2]):
            phrases[key] = mention
        acronyms = {
            mention.exact[0]: phrases.pop(key)
            for key, mention in list(phrases.items())
            if len(key) == 1 and mention.exact is not None
        }
        for key in list(phrases):
            for end in range(1, len(key), 2):
                phrases.setdefault(key[:end], _START_OF_A_NAME)
        pairs = frozenset((key[0], key[2]) for key in phrases if len(key) > 2)
        return cls(phrases, acronyms, pairs)

    def stored(self) -> object:
        """The index as plain data (tuples, strings, None), for the build cache."""

        def plain(mention: Mention) -> tuple[str, tuple[str, ...] | None, str] | None:
            return (mention.slug, mention.exact, mention.tail) if mention.slug else None

        return (
            {key: plain(mention) for key, mention in self.phrases.items()},
            {key: plain(mention) for key, mention in self.acronyms.items()},
            tuple(self.pairs),
        )

    @classmethod
    def from_store(cls, stored: Any) -> MentionIndex:
        """The index that ``stored`` gave; raises ValueError, TypeError... on anything else."""
        phrases, acronyms, pairs = stored

        def mention(plain: tuple[str, tuple[str, ...] | None, str] | None) -> Mention:
            return _START_OF_A_NAME if plain is None else Mention(*plain)

        return cls(
            {tuple(key): mention(plain) for key, plain in phrases.items()},
            {str(key): mention(plain) for key, plain in acronyms.items()},
            frozenset(map(tuple, pairs)),
        )


def names_of(terms: Iterable[Term]) -> Names:
    """What a ``MentionIndex`` is built from: each term's slug and the names whose mentions
    link to it (``Term.mention_names``), in order."""
    return tuple((term.slug, term.mention_names) for term in terms)


@dataclass(frozen=True)
class ExplicitLink:
    """One ``[[slug]]`` or ``[[slug|text]]`` in a text; ``line`` and ``column`` count from 1."""

    source: str
    slug: str
    label: str | None
    line: int
    column: int


@lru_cache(maxsize=1 << 16)  # validation looks again at every unchanged text after a save
def find_explicit_links(text: str) -> tuple[ExplicitLink, ...]:
    """Every explicit link in a Markdown text, outside code and math, in order."""
    matches = protected_pieces(text)
    return tuple(_located_link(match, text) for match in matches if match["explicit"])


@dataclass(frozen=True)
class AutomaticLink:
    """One automatic link made on a page: in the text of ``field`` (a path in the term file),
    ``written`` at character ``offset`` of the text (as stripped) became a link to ``slug``."""

    field: tuple[str | int, ...]
    offset: int
    written: str
    slug: str


def link_term_text(
    term: Term,
    index: MentionIndex,
    by_slug: Mapping[str, Term],
    targets: set[str] | None = None,
    made: list[AutomaticLink] | None = None,
) -> Term:
    """``term`` with links in its Markdown fields: explicit links, and first mentions of terms.
    The slugs of the terms it links to are added to ``targets`` when given: the links show
    their names and summaries. Each automatic link is added to ``made`` when given."""
    page = _Page(term.slug, index, by_slug, linked={term.slug}, made=made)
    # One statement per field, in the order of the page: the first mention is the one linked.
    definition = page.link(term.definition, where=("definition",))
    symbols = tuple(
        replace(
            symbol,
            meaning=page.link(symbol.meaning, in_list_item=True, where=("symbols", i, "meaning")),
        )
        for i, symbol in enumerate(term.symbols)
    )
    explanation = page.link_optional(term.explanation, where=("explanation",))
    examples = tuple(
        page.link(example, in_list_item=True, where=("examples", i))
        for i, example in enumerate(term.examples)
    )
    sections = tuple(
        replace(section, text=page.link(section.text, where=(section.name,)))
        for section in term.sections
    )
    faq = tuple(
        replace(entry, a=page.link(entry.a, where=("faq", i, "a")))
        for i, entry in enumerate(term.faq)
    )
    if targets is not None:
        targets.update(page.linked - {term.slug})
    return replace(
        term,
        definition=definition,
        symbols=symbols,
        explanation=explanation,
        examples=examples,
        sections=sections,
        faq=faq,
    )


def markdown_link(text: str, target: Term) -> str:
    """A link to ``target``'s page (a sibling); see ``term_links.markdown_link``."""
    return link_to_page(text, target.slug)


@dataclass
class _Page:
    """The state of linking one page: which terms are already linked on it."""

    slug: str
    index: MentionIndex
    by_slug: Mapping[str, Term]
    linked: set[str] = field(default_factory=set)
    redefined: set[str] = field(default_factory=set)  # acronyms spelled out for another meaning
    made: list[AutomaticLink] | None = None  # where to record each automatic link
    _field: tuple[str | int, ...] = ()  # the field being linked, and where its piece starts
    _base: int = 0

    def link(self, text: str, in_list_item: bool = False, where: tuple[str | int, ...] = ()) -> str:
        """``text`` (the field at ``where``) with its explicit links replaced and its first
        mentions linked; ``text`` as it is if linking would make Markdown read any of it
        otherwise (a check of the linked text itself, behind the limits on names that should
        make that impossible)."""
        self._field = where
        recorded = len(self.made) if self.made is not None else 0
        linked = self._linked(text)
        if not adds_syntax(text, linked) or not markdown_problems(
            linked, in_list_item=in_list_item, term_links=True
        ):
            return linked
        if self.made is not None:
            del self.made[recorded:]
        return text

    def _linked(self, text: str) -> str:
        pieces, done, after_link = [], 0, False
        for match in protected_pieces(text):
            is_link = match["link"] is not None or match["explicit"] is not None
            self._base = done
            pieces.append(self._link_mentions(text[done : match.start()], after_link, is_link))
            pieces.append(self._explicit_link(match) if match["explicit"] else match.group())
            done, after_link = match.end(), is_link
        self._base = done
        pieces.append(self._link_mentions(text[done:], after_link, before_link=False))
        return "".join(pieces)

    def link_optional(self, text: str | None, where: tuple[str | int, ...] = ()) -> str | None:
        return self.link(text, where=where) if text else text

    def _explicit_link(self, match: re.Match[str]) -> str:
        """The Markdown link that ``[[slug]]`` or ``[[slug|text]]`` stands for."""
        target = self.by_slug.get(match["target"].strip())
        label = match["label"]
        if target is None or target.slug == self.slug or (label is not None and not label.strip()):
            return match.group()  # not a valid link: `glossary check` reports it
        self.linked.add(target.slug)
        return markdown_link(plain(target.term) if label is None else label.strip(), target)

    def _link_mentions(self, text: str, after_link: bool, before_link: bool) -> str:
        """Free prose (no code, math, links...) with the first mention of each term linked;
        ``after_link`` and ``before_link`` tell whether a link comes right before or after it."""
        words = _Words(text)
        folded, index = words.folded, self.index
        # One or two lookups per word, all in C: most words start no name, and nothing more
        # is done for them.
        hits = list(map(index.acronyms.get, words.written, map(index.phrases.get, zip(folded))))
        pieces, done, resume = [], 0, 0
        for i, hit in zip(compress(range(len(folded)), hits), filter(None, hits), strict=True):
            if i < resume:
                continue  # the words of a longest name are never part of another mention
            if not hit.slug and (
                i + 1 == len(folded) or (folded[i], folded[i + 1]) not in index.pairs
            ):
                continue  # it only starts longer names, and the next word continues none
            found = _longest_mention(text, words, i, hit, index)
            if found is None:
                continue
            last, end, mention = found
            start = words.start(i)
            if _inside_a_longer_name(text, words, i, last):
                resume = last + 1
                continue
            if self._is_new_mention(mention, text, start) and not (
                ((after_link or done > 0) and _SOFT_SEPARATOR.fullmatch(text[done:start]))
                or (before_link and _SOFT_SEPARATOR.fullmatch(text[end:]))
            ):  # a new mention that touches no link
                self.linked.add(mention.slug)
                if self.made is not None:
                    link_made = AutomaticLink(
                        self._field, self._base + start, text[start:end], mention.slug
                    )
                    self.made.append(link_made)
                shown = _LINK_TEXT_SYNTAX.sub(r"\\\g<0>", text[start:end])
                link = markdown_link(shown, self.by_slug[mention.slug])
                pieces += [text[done:start], link]
                done = end
            resume = last + 1
        pieces.append(text[done:])
        return "".join(pieces)

    def _is_new_mention(self, mention: Mention, text: str, start: int) -> bool:
        """Whether the mention at ``start`` is the first of its term on the page (and, for an
        acronym, not one that the page spells out for another meaning)."""
        if mention.exact is not None:
            acronym = _capitals(mention.exact)
            if _spelled_out_before(text, start, acronym):
                self.redefined.add(acronym)
            if acronym in self.redefined:
                return False
        return mention.slug not in self.linked


class _Words:
    """The words of a text, as ``_WORD`` finds them, split by C code rather than word by word.

    The text is cut at every character that is not part of a word: the pieces are its words and
    empty strings, each followed by one character, so piece ``p`` starts at the sum of the
    lengths of the pieces before it, plus ``p``. Where a word is, is worked out only when asked,
    from the last word asked about (a scan asks about words near each other).
    """

    def __init__(self, text: str) -> None:
        ascii_only = text.isascii()
        gaps = text.translate(_ASCII_GAPS) if ascii_only else _NON_WORD.sub(" ", text)
        self._pieces = gaps.split(" ")
        self.written = list(filter(None, self._pieces))
        self.folded = list(map(str.lower if ascii_only else str.casefold, self.written))
        self._piece = list(compress(range(len(self._pieces)), self._pieces))  # word -> piece
        self._at = self._start = 0  # the last piece located, and where it starts

    def start(self, word: int) -> int:
        """Where word ``word`` starts in the text."""
        piece, at = self._piece[word], self._at
        if piece >= at:
            self._start += sum(map(len, self._pieces[at:piece])) + piece - at
        else:
            self._start -= sum(map(len, self._pieces[piece:at])) + at - piece
        self._at = piece
        return self._start


def _longest_mention(
    text: str, words: _Words, first: int, hit: Mention, index: MentionIndex
) -> tuple[int, int, Mention] | None:
    """The longest name starting at word ``first``: (its last word, its end, what it names).
    ``hit`` is what the word alone stands for: an acronym, a name or the start of names."""
    start = words.start(first)
    if start > 1 and text[start - 1] in _JOINERS and text[start - 2].isalnum():
        return None  # the word continues a compound
    end = start + len(words.written[first])
    found = None
    if hit.exact is not None:  # an acronym as written
        found = _found(text, words, first, first, end, hit)
    key: _Key = (words.folded[first],)
    phrases = index.phrases
    for last in range(first, len(words.folded)):
        if last > first:
            next_start = words.start(last)
            key += (_separator_key(text[end:next_start]), words.folded[last])
            end = next_start + len(words.written[last])
        mention = phrases.get(key)
        if mention is None:
            break
        if mention.slug:
            found = _found(text, words, first, last, end, mention) or found
    return found


def _inside_a_longer_name(text: str, words: _Words, first: int, last: int) -> bool:
    """Whether the mention of words ``first``..``last`` is part of a longer run of Title Case
    words, a name of its own: "Reliability" in "Site Reliability Engineers", "Service" in
    "Kubernetes Service". The first word of a sentence is capitalized anyway: it does not
    count."""
    written = words.written
    if first > 0 and _is_title_case(written[first]) and _is_title_case(written[first - 1]):
        before = words.start(first - 1)
        gap = text[before + len(written[first - 1]) : words.start(first)]
        if gap == " " and not _starts_a_sentence(text, before):
            return True
    if last + 1 < len(written) and _is_title_case(written[last]):
        end = words.start(last) + len(written[last])
        return text[end : words.start(last + 1)] == " " and _is_title_case(written[last + 1])
    return False


def _is_title_case(word: str) -> bool:
    """'Service', not 'service', 'BN' nor 'PyTorch'."""
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def _starts_a_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before.strip() or before[-1] in ".!?:;\n(\"'\u201c*-#>|"


def _singular(word: str) -> str:
    """A rough singular of a name's last word, the inverse of ``_plural``."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _found(
    text: str, words: _Words, first: int, last: int, end: int, mention: Mention
) -> tuple[int, int, Mention] | None:
    """(last, where the mention ends, mention) if words ``first``..``last``, which end at
    ``end``, are a mention of it as written, else None."""
    if mention.exact is not None and tuple(words.written[first : last + 1]) != mention.exact:
        return None
    if mention.tail:
        return (
            (last, end + len(mention.tail), mention) if text.startswith(mention.tail, end) else None
        )
    if end + 1 < len(text) and text[end] in _JOINERS and text[end + 1].isalnum():
        return None  # the name goes on as a compound
    return last, end, mention


def _spelled_out_before(text: str, start: int, acronym: str) -> bool:
    """Whether the acronym at ``start`` follows "(" and words whose initials spell it, as in
    "approximate nearest neighbour (ANN)"."""
    if start == 0 or text[start - 1] != "(":
        return False
    before = _WORD.findall(text, 0, start)[-len(acronym) :]
    return "".join(word[0] for word in before).casefold() == acronym.casefold()


def _capitals(words: tuple[str, ...]) -> str:
    """An acronym's capital letters: 'LRA' for LoRA."""
    return "".join(c for word in words for c in word if c.isupper())


def _name_forms(slug: str, name: str) -> list[tuple[_Key, Mention, bool]]:
    """The keys under which ``name`` is found, as written and with its last word plural, with
    what each stands for and whether it is the plural."""
    matches = list(_WORD.finditer(name))
    if not matches:
        return []
    separators = [_separator_key(name[a.end() : b.start()]) for a, b in pairwise(matches)]
    words = [match.group() for match in matches]
    tail = name[matches[-1].end() :].strip()
    acronym = is_acronym(name)
    plural = [*words[:-1], words[-1] + "s" if acronym else _plural(words[-1])]
    forms = [(words, False)] if tail else [(words, False), (plural, True)]
    singular = _singular(words[-1])
    if not tail and not acronym and singular != words[-1]:  # "Managed Services": "managed service"
        forms.append(([*words[:-1], singular], True))
    return [
        (_key(form, separators), Mention(slug, tuple(form) if acronym else None, tail), is_plural)
        for form, is_plural in forms
    ]


def _key(words: list[str], separators: list[str]) -> _Key:
    key = [words[0].casefold()]
    for separator, word in zip(separators, words[1:], strict=True):
        key += [separator, word.casefold()]
    return tuple(key)


def _separator_key(separator: str) -> str:
    """Spaces, one line break and a hyphen are the same separator; others must be as written."""
    key = _SEPARATOR_KEYS.get(separator)
    if key is None:
        key = " " if _SOFT_SEPARATOR.fullmatch(separator) else " ".join(separator.split())
        if len(separator) <= 4:  # the common ones, a bounded set
            _SEPARATOR_KEYS[separator] = key
    return key


_SEPARATOR_KEYS: dict[str, str] = {}


def is_acronym(name: str) -> bool:
    """Whether a name is matched only as written: one word, two capitals or more, and no more
    lowercase letters than capitals (BN, SGD, LoRA)."""
    upper = sum(map(str.isupper, name))
    lower = sum(map(str.islower, name))
    return len(name.split()) == 1 and upper >= 2 and lower <= upper


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word[-1] == "y" and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _located_link(match: re.Match[str], text: str) -> ExplicitLink:
    start = match.start()
    line_start = text.rfind("\n", 0, start) + 1
    return ExplicitLink(
        source=match.group(),
        slug=match["target"].strip(),
        label=match["label"],
        line=text.count("\n", 0, start) + 1,
        column=start - line_start + 1,
    )

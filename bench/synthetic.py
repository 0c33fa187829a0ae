"""A synthetic glossary of any size, in the real term format, for benchmarks and scale tests.

Every term is valid for ``glossary check``: a unique two- or three-word name, three aliases (an
acronym, a CamelCase spelling and a reworded form), a one-sentence summary, a definition of about
300 words in three paragraphs that names about ten other terms (by name, alias or plural, as
prose does, with an explicit ``[[slug]]`` link, inline math and inline code), five related terms,
three tags, a category of the real ``terms/_categories.yaml`` and a reference. The first terms
also carry the real glossary's figure specs, so that a project linked to the real figure cache
renders none of them. The same ``n`` and ``seed`` always give the same bytes.

The tag vocabulary grows with the glossary (one tag per 20 terms, at least 10), so a tag page
lists about 60 terms at any size; the six categories are the real ones, so a category page lists
a sixth of the glossary.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _word_list(text: str, separator: str | None = None) -> list[str]:
    return [
        word.strip()
        for word in text.replace("\n", " " if separator is None else "").split(separator)
    ]


_HEAD_WORDS = _word_list("""
attention autoencoder backbone batch bias classifier clipping codebook decoder distillation
dropout embedding encoder ensemble entropy estimator filter gate gradient graph head kernel
layer loss margin mask memory mixture momentum network noise norm objective optimizer pooling
probe prompt quantizer ranking recurrence regularizer reward router sampler scheduler search
sketch softmax tokenizer transformer tree vocabulary weight window
""")
_MODIFIER_WORDS = _word_list("""
adaptive additive adversarial affine anchored annealed asymmetric augmented autoregressive
bayesian bidirectional binary blockwise bounded cached calibrated causal centered chunked
conditional contrastive convolutional cosine coupled cross curriculum cyclic decoupled deep
dense dilated discrete dual dynamic elastic factorized federated gated global grouped
hierarchical hybrid implicit incremental inverse kernelized latent layered learned linear local
low masked meta mixed modular multiscale nested neural noisy orthogonal paired parallel partial
periodic pruned quantized random recurrent relative residual reversible robust rotary scaled
selective shared shifted sparse spectral stacked stochastic structured temporal tied truncated
variational weighted
""")
# Prose around the mentions: common words, a few of which also start names ("sparse", "layer").
_PROSE_WORDS = _word_list("""
the a an of to in and or for with on by from as at that which this these its their each every
model models data training example examples value values input inputs output outputs step steps
method methods result results approach when where while because although often usually rarely
compute computes computed update updates updated learn learns learned improve improves reduce
reduces large small fast slow stable unstable simple useful common practical typical early late
first second final parameter parameters feature features signal signals sequence sequences
error errors rate rates cost costs size sizes number numbers time memory layer sparse batch
noise gradient attention weight loss dense local global shared
""")
_AUTHORS = _word_list(
    """
Ada Lovelace|Alan Turing|Grace Hopper|Claude Shannon|John von Neumann|Emmy Noether|Kurt Goedel
|Barbara Liskov|Donald Knuth|Edsger Dijkstra|Frances Allen|Leslie Lamport|Radia Perlman
""",
    "|",
)
_TAG_WORDS = _word_list("""
vision language speech robotics theory efficiency hardware safety retrieval generative
compression evaluation optimization probabilistic geometric reinforcement multimodal
""")


@dataclass(frozen=True)
class SyntheticTerm:
    slug: str
    name: str
    aliases: tuple[str, str, str]


def term_files(n: int, seed: int = 0, figures: bool = True) -> dict[str, str]:
    """The files of ``terms/`` for a glossary of ``n`` terms: file name -> YAML text.
    ``figures=False`` leaves out the real glossary's figures (which take seconds to render
    without the figure cache)."""
    rng = random.Random(seed)
    terms = _terms(n, rng)
    # Each term carries three neighbouring tags of the vocabulary, so that every tag groups
    # at least two terms (terms/_tags.yaml declares them all).
    tags = _tags(max(3, min(n, max(10, n // 20))))
    categories = list(yaml.safe_load((ROOT / "terms" / "_categories.yaml").read_text("utf-8")))
    specs = _real_figure_specs() if figures else []
    files = {
        "_categories.yaml": (ROOT / "terms" / "_categories.yaml").read_text("utf-8"),
        "_tags.yaml": "".join(f"{tag}: Synthetic terms about {tag}.\n" for tag in tags),
    }
    for index, term in enumerate(terms):
        others = [t for t in rng.sample(terms, min(n, 16)) if t is not term]
        data = {
            "term": term.name,
            "summary": _summary(term, rng),
            "aliases": list(term.aliases),
            "category": rng.choice(categories),
            "tags": [tags[(index + i) % len(tags)] for i in range(3)],
            "definition": _definition(term, others[5:], rng),
            "related": sorted(t.slug for t in others[:5]),
            "references": [_reference(term, rng)],
        }
        if index < len(specs):  # a few terms show the real figures: all cached
            data["figures"] = [specs[index]]
        files[f"{term.slug}.yaml"] = _dump(data)
    return files


def write_terms(terms_dir: Path, n: int, seed: int = 0, figures: bool = True) -> None:
    """Write ``term_files(n, seed, figures)`` into ``terms_dir`` (created if needed)."""
    terms_dir.mkdir(parents=True, exist_ok=True)
    for name, text in term_files(n, seed, figures).items():
        (terms_dir / name).write_text(text, encoding="utf-8")


def write_project(parent: Path, n: int, seed: int = 0) -> Path:
    """A buildable project in ``parent / "project"``, as the end-to-end tests make one (the real
    configuration and hand-written pages, links to the code, the figure cache and the browser
    assets), with a synthetic ``terms/`` of ``n`` terms and a build cache of its own. Returns
    the project's path."""
    from tests.site_project import project_copy  # the repository root is on sys.path

    project = project_copy(parent)
    shutil.rmtree(project / "terms")
    write_terms(project / "terms", n, seed)
    # Its own .cache, sharing only the figures: the build cache is never kept through a link.
    shared = (project / ".cache").resolve()
    (project / ".cache").unlink()
    (project / ".cache").mkdir()
    (project / ".cache" / "figures").symlink_to(shared / "figures")
    return project


def _terms(n: int, rng: random.Random) -> list[SyntheticTerm]:
    taken: set[str] = set()  # every name and alias, casefolded: they must be unique
    terms: list[SyntheticTerm] = []
    for words in _unique_word_tuples(n, rng):
        name = " ".join(word.capitalize() for word in words)
        acronym = "".join(word[0] for word in words).upper()
        number = 2
        while acronym.casefold() in taken:
            acronym = "".join(word[0] for word in words).upper() + str(number)
            number += 1
        camel = "".join(word.capitalize() for word in words[:-1]) + words[-1][:4].capitalize()
        reworded = f"{words[-1]} of {' '.join(words[:-1])} type"
        aliases = (acronym, camel, reworded)
        if any(alias.casefold() in taken for alias in (camel, reworded)):
            continue
        taken.update(x.casefold() for x in (name, *aliases))
        slug = "-".join(words)
        terms.append(SyntheticTerm(slug, name, aliases))
    terms.sort(key=lambda t: t.slug)
    return terms[:n]


def _unique_word_tuples(n: int, rng: random.Random) -> Iterator[tuple[str, ...]]:
    seen: set[tuple[str, ...]] = set()
    while len(seen) < n + n // 10 + 10:  # a few spare ones, for names whose aliases collide
        modifiers = rng.sample(_MODIFIER_WORDS, rng.choice((1, 1, 2)))
        words = (*modifiers, rng.choice(_HEAD_WORDS))
        if words not in seen:
            seen.add(words)
            yield words


def _tags(count: int) -> list[str]:
    tags = []
    for i in range(count):
        word = _TAG_WORDS[i % len(_TAG_WORDS)]
        tags.append(word if i < len(_TAG_WORDS) else f"{word}-{i // len(_TAG_WORDS) + 1}")
    return tags


def _summary(term: SyntheticTerm, rng: random.Random) -> str:
    words = [rng.choice(_PROSE_WORDS) for _ in range(rng.randint(12, 18))]
    summary = f"The {term.name.lower()} is a technique that {' '.join(words)}."
    while len(summary) > 200:  # the validator's limit
        words.pop()
        summary = f"The {term.name.lower()} is a technique that {' '.join(words)}."
    return summary


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(_PROSE_WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def _mention(other: SyntheticTerm, rng: random.Random) -> str:
    """How prose names another term: its name, an alias, or the plural of its name."""
    form = rng.random()
    if form < 0.5:
        return other.name.lower()
    if form < 0.7:
        return other.aliases[0]
    if form < 0.8:
        return other.aliases[2]
    return other.name.lower() + "s"


def _definition(term: SyntheticTerm, mentioned: list[SyntheticTerm], rng: random.Random) -> str:
    """About 300 words in three paragraphs, naming each term of ``mentioned`` once."""
    sentences = [
        f"{term.name} ({term.aliases[0]}) is a method that "
        f"{' '.join(rng.choice(_PROSE_WORDS) for _ in range(14))}."
    ]
    for i, other in enumerate(mentioned):
        before = " ".join(rng.choice(_PROSE_WORDS) for _ in range(rng.randint(5, 10)))
        after = " ".join(rng.choice(_PROSE_WORDS) for _ in range(rng.randint(3, 8)))
        sentences.append(f"{before.capitalize()} {_mention(other, rng)} {after}.")
        sentences.append(_sentence(rng, rng.randint(7, 12)))
        if i == 2:
            sentences.append(f"It scales the input by $\\alpha_{{{i}}} = 1/\\sqrt{{d}}$ first.")
        if i == 5:
            sentences.append(f"In code it is `{term.slug.replace('-', '_')}(x)`.")
    if mentioned:
        sentences.append(f"See also [[{mentioned[0].slug}]] for the classic variant.")
    third = len(sentences) // 3
    paragraphs = [sentences[:third], sentences[third : 2 * third], sentences[2 * third :]]
    return "\n\n".join(_wrap(" ".join(paragraph)) for paragraph in paragraphs) + "\n"


def _wrap(text: str, width: int = 96) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def _reference(term: SyntheticTerm, rng: random.Random) -> dict[str, object]:
    return {
        "title": f"On {term.name}",
        "authors": rng.sample(_AUTHORS, rng.randint(1, 3)),
        "year": rng.randint(1990, 2024),
        "url": f"https://example.org/papers/{term.slug}",
    }


def _real_figure_specs() -> list[dict[str, object]]:
    """Every figure spec of the real glossary, in file order: the figure cache has them all.
    Without their ``section``: the synthetic terms have none of the real terms' headings."""
    specs = []
    for path in sorted((ROOT / "terms").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            specs += [
                {key: value for key, value in spec.items() if key != "section"}
                for spec in data.get("figures") or []
            ]
    return specs


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None  # Markdown as a literal block, like the real files
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list[object]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in items)  # [a, b, c], like the real files
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(list, _represent_list)


def _dump(data: dict[str, object]) -> str:
    header = "# yaml-language-server: $schema=../schema/term.schema.json\n"
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)

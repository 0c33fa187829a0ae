"""Automatic links an author can trust, counted: a glossary of generic one-word names (Service,
Host, Runtime, Container, Reliability, Platform, Node, Agent, Feature) beside the longer names
that contain them, in sentences of the kind a cloud or AI glossary holds, with every link a
reader should get marked by hand. The test counts the links made against the marks:
precision (how many links made are right) and recall (how many right links are made).

In the texts, ``⟦words⟧`` marks a mention that must link to the term it names, and
``⟦words|slug⟧`` one that must link to ``slug``; every other word must stay plain. Only the
first mention of a term on a page links, so each page marks at most one mention per term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from generator.markdown import mentions
from generator.markdown.mentions import MentionIndex, link_term_text
from generator.model import Term

# slug -> (name, aliases, autolink, the page's text). The names that are everyday words carry
# the `autolink` an author sets for them: the phrases that mean the term, or false.
GLOSSARY: dict[str, tuple[str, tuple[str, ...], Any, str]] = {
    "service": (
        "Service",
        (),
        ["Kubernetes Service", "Service object"],
        "A Service object gives a stable address to a set of ⟦pods|pod⟧. The service provider "
        "of a managed cluster keeps it running, and a restart will restore service within "
        "seconds. Adequate service quality depends on the ⟦nodes|node⟧ behind it.",
    ),
    "managed-services": (
        "Managed Services",
        (),
        True,
        "A managed service is run for you by a cloud provider: a managed database is one, "
        "and so is a ⟦Kubernetes Service|service⟧ behind a ⟦load balancer⟧. The provider patches "
        "the ⟦host machines|host⟧ and keeps the ⟦container runtime⟧ up to date.",
    ),
    "host": (
        "Host",
        (),
        ["host machine", "host operating system"],
        "A host machine runs the ⟦containers|container⟧ of a ⟦node⟧. Any server powerful "
        "enough to host the entire application can be a host, and the host operating system "
        "is shared by every container on it.",
    ),
    "runtime": (
        "Runtime",
        (),
        False,
        "The libraries a program loads at runtime. Errors that appear at runtime, not at "
        "build time, are runtime errors; a ⟦container runtime⟧ is a different thing.",
    ),
    "container": (
        "Container",
        (),
        True,
        "A container packages a program with what it needs. A ⟦container runtime⟧ starts it "
        "on a ⟦host machine|host⟧, and a ⟦pod⟧ groups containers that share a network.",
    ),
    "container-runtime": (
        "Container Runtime",
        ("CRI runtime",),
        True,
        "The program on each ⟦node⟧ that starts and stops ⟦containers|container⟧, such as "
        "containerd. The Container Runtime Interface lets ⟦Kubernetes⟧ talk to any of them.",
    ),
    "reliability": (
        "Reliability",
        (),
        True,
        "How often a system does what it should. ⟦Site Reliability Engineering⟧ measures "
        "it with service level objectives.",
    ),
    "site-reliability-engineering": (
        "Site Reliability Engineering",
        ("SRE",),
        True,
        "A discipline in which Site Reliability Engineers write software to run operations. "
        "They keep ⟦reliability⟧ within an error budget, and they automate the toil of "
        "restarting each ⟦agent⟧ by hand.",
    ),
    "platform": (
        "Platform",
        (),
        ["platform team", "internal platform"],
        "An internal platform gives developers shared tools. The Google Cloud Platform and "
        "the Platform Engineering Summit are names, not this term, and a ⟦Platform as a "
        "Service|platform-as-a-service⟧ is bought, not built.",
    ),
    "platform-as-a-service": (
        "Platform as a Service",
        ("PaaS",),
        True,
        "A cloud offering that runs your code on a managed ⟦platform team|platform⟧'s stack; "
        "the platform scales the application and patches the ⟦host operating system|host⟧.",
    ),
    "node": (
        "Node",
        ("worker node",),
        True,
        "A node is a machine in a cluster that runs ⟦pods|pod⟧. The Node Problem Detector "
        "reports faults; an ⟦agent⟧ on every node talks to the ⟦control plane⟧.",
    ),
    "pod": (
        "Pod",
        (),
        True,
        "The smallest unit ⟦Kubernetes⟧ schedules: one or more ⟦containers|container⟧ on one "
        "⟦node⟧, started by the ⟦container runtime⟧.",
    ),
    "agent": (
        "Agent",
        ("node agent",),
        True,
        "A program on every ⟦node⟧ that reports its state. The Datadog Agent and the "
        "Azure Monitor Agent are products that ship one; an ⟦AI agent⟧ is something else.",
    ),
    "ai-agent": (
        "AI Agent",
        (),
        True,
        "A system in which a ⟦model|language-model⟧ chooses actions and calls tools in a loop. "
        "Each ⟦feature⟧ of its input is text.",
    ),
    "language-model": (
        "Language Model",
        (),
        ["language model", "model"],
        "A model of text that predicts the next token. A large language model is one with "
        "billions of parameters.",
    ),
    "feature": (
        "Feature",
        ("input feature",),
        True,
        "One measurable property of an example. ⟦Feature Engineering⟧ builds features by hand; "
        "the Feature Store product of a cloud provider keeps them.",
    ),
    "kubernetes": (
        "Kubernetes",
        ("K8s",),
        True,
        "An orchestrator that places each ⟦pod⟧ on a ⟦node⟧ and replaces it when it fails. "
        "Its ⟦control plane⟧ stores the desired state; a ⟦Kubernetes Service|service⟧ routes "
        "traffic to pods through a ⟦load balancer⟧. Kubernetes Engine, the hosted offering "
        "of one provider, runs it as a ⟦Platform as a Service|platform-as-a-service⟧.",
    ),
    "control-plane": (
        "Control Plane",
        (),
        True,
        "The components of a ⟦Kubernetes⟧ cluster that decide where each ⟦pod⟧ runs. It does "
        "not run ⟦containers|container⟧ itself; the ⟦node agent|agent⟧ on each machine does, "
        "and reports the ⟦features|feature⟧ of the machine, such as its memory.",
    ),
    "load-balancer": (
        "Load Balancer",
        (),
        True,
        "A service that spreads requests over several servers. The Elastic Load Balancer "
        "Console shows each target; a ⟦Service object|service⟧ in ⟦K8s|kubernetes⟧ asks the "
        "cloud for one, and a ⟦host machine|host⟧ that stops answering is taken out.",
    ),
    "feature-engineering": (
        "Feature Engineering",
        (),
        True,
        "Building ⟦input features|feature⟧ by hand from raw data, as a ⟦language model⟧ "
        "need not. Feature Engineering Weekly is a newsletter about it.",
    ),
}

_MARK = re.compile(r"⟦([^⟧|]+)(?:\|([a-z-]+))?⟧")
_LINK = re.compile(r"\[([^\]]+)\]\[term:([a-z0-9-]+)\]")
_NAMES = {slug: name for slug, (name, *_) in GLOSSARY.items()}


def _slug_of(words: str) -> str:
    """The term that marked ``words`` name, found as the linker finds it: by name or alias."""
    wanted = words.casefold().rstrip("s")
    for slug, (name, aliases, _, _) in GLOSSARY.items():
        if wanted in {n.casefold().rstrip("s") for n in (name, *aliases)}:
            return slug
    raise KeyError(words)


def _terms() -> tuple[tuple[Term, ...], dict[str, set[tuple[str, str]]]]:
    """The glossary's terms, with their texts unmarked, and the links each page must get."""
    terms, expected = [], {}
    for slug, (name, aliases, autolink, marked) in GLOSSARY.items():
        links = {(m[1], m[2] or _slug_of(m[1])) for m in _MARK.finditer(marked)}
        expected[slug] = links
        terms.append(
            Term(
                slug,
                f"terms/{slug}.yaml",
                name,
                f"About {name}.",
                _MARK.sub(lambda m: m[1], marked),
                "cloud",
                aliases=aliases,
                autolink=tuple(autolink) if isinstance(autolink, list) else autolink,
            )
        )
    return tuple(terms), expected


def _counted(terms: tuple[Term, ...], expected: dict[str, set[tuple[str, str]]]) -> _Count:
    index = MentionIndex.build(terms)
    by_slug = {term.slug: term for term in terms}
    count = _Count()
    for term in terms:
        made = {
            (" ".join(text.split()), slug)
            for text, slug in _LINK.findall(link_term_text(term, index, by_slug).definition)
        }
        want = {(" ".join(text.split()), slug) for text, slug in expected[term.slug]}
        count.right += len(made & want)
        count.wrong += [f"{term.slug}: linked {m}" for m in sorted(made - want)]
        count.missed += [f"{term.slug}: did not link {m}" for m in sorted(want - made)]
    return count


@dataclass
class _Count:
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / (self.right + len(self.wrong))

    @property
    def recall(self) -> float:
        return self.right / (self.right + len(self.missed))


def test_automatic_links_are_precise_and_the_right_ones_are_made() -> None:
    count = _counted(*_terms())
    assert count.right + len(count.missed) >= 45  # the fixture marks this many links
    report = "\n".join(count.wrong + count.missed)
    assert count.precision >= 0.98, f"precision {count.precision:.3f}:\n{report}"
    assert count.recall >= 0.95, f"recall {count.recall:.3f}:\n{report}"


def test_the_fixture_holds_the_traps_that_the_rules_avoid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the ``autolink`` settings (every term linked by its name and aliases), the same
    texts get wrong links; without the rule on longer capitalized names too, more: the
    fixture is not easy. Measured: precision 0.85, then 0.80."""
    terms, expected = _terms()
    every_name = tuple(replace(term, autolink=True) for term in terms)
    assert _counted(every_name, expected).precision < 0.9
    monkeypatch.setattr(mentions, "_inside_a_longer_name", lambda *_: False)
    assert _counted(every_name, expected).precision < 0.82


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("Site Reliability Engineers keep it up.", False),  # inside a longer name
        ("Our Site Reliability Engineering team", True),  # the whole run is the term
        ("Reliability is measured.", True),  # a sentence starts with it
        ("It improves reliability a lot.", True),
        ("The Reliability Report says so.", False),
        ("(Reliability matters.)", True),
    ],
)
def test_a_word_inside_a_longer_capitalized_name_is_not_linked(text: str, linked: bool) -> None:
    terms, _ = _terms()
    page = next(t for t in terms if t.slug == "container")
    page = Term(page.slug, page.source, page.term, page.summary, text, page.category)
    result = link_term_text(page, MentionIndex.build(terms), {t.slug: t for t in terms})
    assert ("][term:" in result.definition) == linked, result.definition


def test_autolink_false_links_the_term_only_where_a_text_writes_its_slug() -> None:
    terms, _ = _terms()
    page = next(t for t in terms if t.slug == "container")
    text = "It fails at runtime, unlike a [[runtime]] check."
    page = Term(page.slug, page.source, page.term, page.summary, text, page.category)
    result = link_term_text(page, MentionIndex.build(terms), {t.slug: t for t in terms})
    assert result.definition == "It fails at runtime, unlike a [Runtime][term:runtime] check."


def test_a_page_does_not_link_a_word_of_its_own_name_in_its_own_name() -> None:
    terms, _ = _terms()
    page = next(t for t in terms if t.slug == "managed-services")
    page = Term(page.slug, page.source, page.term, page.summary, "A managed service.", "cloud")
    result = link_term_text(page, MentionIndex.build(terms), {t.slug: t for t in terms})
    assert result.definition == "A managed service."
    assert _NAMES["managed-services"] == "Managed Services"

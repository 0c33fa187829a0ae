"""``glossary import``: a Hugo glossary's Markdown files become term files; whatever needs a
person is printed as file:line, and nothing is dropped without a word. Two fixture layouts:
the Kubernetes glossary's front matter, and front matter with ``##`` sections."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def imported(root: Path, layout: str, *options: str) -> int:
    return main(["--root", str(root), "import", str(FIXTURES / layout), *options])


def term(root: Path, slug: str) -> dict[str, object]:
    data = yaml.safe_load((root / "terms" / f"{slug}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_kubernetes_layout_becomes_term_files_with_term_links(
    make_glossary, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary({})
    assert imported(root, "kubernetes", "--category", "kubernetes") == 1
    printed = capsys.readouterr()
    pod = term(root, "pod")
    assert pod["summary"] == (
        "The smallest unit the scheduler places on a machine: one or more containers that "
        "share a network address."
    )
    assert pod["definition"] == (
        "A group of one or more [[container|containers]] that always run together on one [[node]]."
    )
    assert str(pod["explanation"]).startswith("The containers of a pod share one network address")
    assert pod["see_also"] == [
        {"title": "Pod in the original glossary", "url": "https://example.org/docs/concepts/pods/"}
    ]
    assert term(root, "node")["aliases"] == ["worker node"]
    assert term(root, "node")["definition"] == (
        "A machine that runs the [[pod|pods]] the cluster places on it."
    )
    assert term(root, "container")["definition"].endswith("runs isolated on a [[node]].")
    assert "kubernetes:" in (root / "terms" / "_categories.yaml").read_text(encoding="utf-8")
    assert printed.out.splitlines() == ["imported 3 term files into terms/"]
    assert printed.err.splitlines() == [
        "_index.md:1:1: skipped: no title, so it is not a term (an index page?)",
        "container.md:16:1: shortcode: '{{< note >}}' has no Markdown equivalent; kept, and "
        "glossary check will point at it: write what it stands for",
        "container.md:16:1: shortcode: '{{< /note >}}' has no Markdown equivalent; kept, and "
        "glossary check will point at it: write what it stands for",
        "container.md:1:1: full_link: '/docs/concepts/containers/' is not a full address, so "
        "it was left out; add it under see_also as https://...",
        # then glossary check, on what was written:
        "terms/container.yaml:11:14: explanation: '{{< note >}}' is template syntax of another "
        "site generator; write what it stands for in Markdown, or remove it",
        "terms/container.yaml:11:14: explanation: '{{< /note >}}' is template syntax of another "
        "site generator; write what it stands for in Markdown, or remove it",
        "glossary: 2 problems found",
    ]


def test_sections_fill_their_fields_and_the_result_passes_the_check(
    make_glossary, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary({})
    assert imported(root, "sections") == 1  # the notes below need a person
    printed = capsys.readouterr()
    mesh = term(root, "service-mesh")
    assert mesh["category"] == "networking"
    assert mesh["tags"] == ["networking", "operations"]
    assert mesh["examples"] == [
        "A proxy runs beside every service and forwards its traffic.",
        "Mutual TLS between services, configured once for the whole mesh.",
    ]
    assert str(mesh["why_it_matters"]).endswith("See also the [[sidecar]].")
    assert mesh["explanation"] == (
        "### History\n\nThe first meshes grew out of client libraries that each service had to "
        "include."
    )
    assert "[[service-mesh]]" in str(term(root, "sidecar")["definition"])
    assert printed.err.splitlines() == [
        "broken.md:2:1: skipped: its front matter is not YAML",
        "service-mesh.md:1:1: status: this front matter key has no field in the term format, so "
        "it was left out; carry it over by hand if it matters",
    ]
    assert printed.out.splitlines() == ["imported 2 term files into terms/", "ok: 2 terms"]
    assert main(["--root", str(root), "check"]) == 0


def test_an_existing_term_file_is_never_overwritten(
    make_glossary, term_data, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary({"sidecar": term_data("Sidecar")})
    before = (root / "terms" / "sidecar.yaml").read_bytes()
    imported(root, "sections")
    assert (root / "terms" / "sidecar.yaml").read_bytes() == before
    assert (
        "sidecar.md:1:1: skipped: terms/sidecar.yaml exists already; rename one of the two, or "
        "merge them by hand"
    ) in capsys.readouterr().err.splitlines()


def test_a_file_without_a_category_is_reported(
    make_glossary, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_glossary({})
    imported(root, "kubernetes")
    assert (
        "node.md:1:1: skipped: no category; give one with --category, or add 'category:' to "
        "its front matter"
    ) in capsys.readouterr().err.splitlines()
    assert not (root / "terms" / "node.yaml").exists()

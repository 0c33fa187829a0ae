"""The theme's templates are compiled once per process, and again only when they change."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.site.theme_templates import cache_for


def environment(directory: Path, **options: object) -> jinja2.Environment:
    """A new environment, as MkDocs makes one for every build, with the cache set."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(directory)), **options)
    env.bytecode_cache = cache_for(env)
    return env


def test_a_template_is_compiled_once_then_again_when_its_source_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args, **kw):
        compiled.append(name)
        return compile_template(self, source, name, *args, **kw)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    (tmp_path / "page.html").write_text("Hello {{ who }}", encoding="utf-8")
    for _ in range(3):
        assert environment(tmp_path).get_template("page.html").render(who="you") == "Hello you"
    assert compiled == ["page.html"]
    (tmp_path / "page.html").write_text("Goodbye {{ who }}", encoding="utf-8")
    assert environment(tmp_path).get_template("page.html").render(who="you") == "Goodbye you"
    assert compiled == ["page.html", "page.html"]


def test_environments_with_other_syntax_do_not_share_code(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<<who>> {{ who }}", encoding="utf-8")
    plain = environment(tmp_path).get_template("page.html").render(who="you")
    other = environment(tmp_path, variable_start_string="<<", variable_end_string=">>")
    assert plain == "<<who>> you"
    assert other.get_template("page.html").render(who="you") == "you {{ who }}"

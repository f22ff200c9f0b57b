"""mkdocs_hooks.py's own work, in this process: the templates compiled once into the build cache."""

from __future__ import annotations

import importlib
from pathlib import Path

import jinja2
import pytest

hooks = importlib.import_module("mkdocs_hooks")


@pytest.fixture
def fresh_env(tmp_path):
    """``fresh_env(cache=..., **options)``: a new Jinja environment on one template folder, as each
    build and preview rebuild makes, set up by the hook with that build cache folder (tmp/cache
    unless given); it records each template it compiles."""
    (tmp_path / "templates").mkdir()

    def make(cache: Path | None = tmp_path / "cache", **options) -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "templates"), **options)
        env.compiled = []
        compile_ = env.compile

        def compile_and_record(source, name=None, *rest, **options):
            env.compiled.append(name)
            return compile_(source, name, *rest, **options)

        env.compile = compile_and_record
        hooks._cache_compiled_templates(env, cache)
        return env

    return make


def write(tmp_path: Path, text: str) -> None:
    (tmp_path / "templates" / "page.html").write_text(text, encoding="utf-8")


def test_a_template_is_compiled_once_and_again_only_when_it_changes(fresh_env, tmp_path):
    write(tmp_path, "{{ 1 + 1 }} {{ word }}")
    first = fresh_env()
    assert first.get_template("page.html").render(word="a") == "2 a"
    assert first.compiled == ["page.html"]

    second = fresh_env()   # the next build: a new environment, the template unchanged
    assert second.get_template("page.html").render(word="b") == "2 b"
    assert second.compiled == [], "compiled again, not taken from the cache"

    write(tmp_path, "{{ 2 + 2 }} {{ word }}")
    third = fresh_env()
    assert third.get_template("page.html").render(word="c") == "4 c", "the edited template's old code was served"
    assert third.compiled == ["page.html"]


def test_an_environment_with_other_settings_compiles_its_own(fresh_env, tmp_path):
    write(tmp_path, "{% if true %}\n  x\n{% endif %}")
    assert fresh_env().get_template("page.html").render() == "\n  x\n"
    trimmed = fresh_env(trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("page.html").render() == "  x\n"
    assert trimmed.compiled == ["page.html"]
    assert len(list((tmp_path / "cache").glob("jinja-*"))) == 2


def test_no_cache_folder_no_cache(fresh_env, tmp_path):
    write(tmp_path, "{{ word }}")
    env = fresh_env(cache=None)
    assert env.bytecode_cache is None and env.get_template("page.html").render(word="d") == "d"
    assert not (tmp_path / "cache").exists()

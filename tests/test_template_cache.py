"""The compiled-template cache: a new process renders the built-ins from disk, byte for byte.

Every test points ``INFOVIEW_CACHE_DIR`` at its own folder under ``tmp_path``
(the whole suite uses a temporary one: tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import infoview
from infoview import Register, Templates, _kept
from infoview.model import samples
from infoview.rendering import cache, preview, specialize
from tests._drafting import BUILTIN_NAMES

LOCALES = ("en_US", "de_DE", "fr_FR", "es_MX")
REGISTERS = (Register.FORMAL, Register.INFORMAL)

# Renders every built-in in four languages and both registers; prints each draft's parts
# and the templates the set compiled without specializing (those a fault check loads).
_RENDER_ALL = """
import json, sys
from infoview import Register, Templates
from infoview.model import samples

templates = Templates()
found = {}
for locale in sys.argv[1].split(","):
    for register in (Register.FORMAL, Register.INFORMAL):
        interview = samples.interview(locale=locale, register=register)
        original = templates.render("outreach/alumni", interview=interview)
        for name in sys.argv[2].split(","):
            extra = {"original": original} if name == "outreach/nudge" else {}
            draft = templates.render(name, interview=interview, **extra)
            found[f"{name} {locale} {register}"] = [
                draft.subject, draft.text, draft.html, draft.markdown, draft.locale
            ]
checked = sorted(key[1] for key in templates.environment.cache)
print(json.dumps({"drafts": found, "checked": checked}))
"""


def _use(monkeypatch: pytest.MonkeyPatch, folder: Path | str) -> None:
    monkeypatch.setenv(cache.ENVIRONMENT_VARIABLE, str(folder))


def _render_all_in_a_new_process(names: tuple[str, ...] = BUILTIN_NAMES) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _RENDER_ALL, ",".join(LOCALES), ",".join(names)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def _files(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each file in the folder: its inode, modification time and content."""
    return {
        path.name: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(folder.iterdir())
    }


def _parts(templates: Templates, name: str = "outreach/alumni") -> tuple[Any, ...]:
    interview = samples.interview(locale="de_DE", register=Register.INFORMAL)
    draft = templates.render(name, interview=interview)
    return draft.subject, draft.text, draft.html, draft.markdown


def _key(templates: Templates, name: str, locale: str = "de_DE", register: str = "informal") -> str:
    """The cache's key for a built-in compiled for a locale and register."""
    interview = samples.interview(locale=locale, register=Register(register))
    values = templates._context({"interview": interview}, None)
    environment = templates._compiled.environment_for(values, builtins=True)
    assert isinstance(environment, specialize.Specializing)
    assert environment.infoview_fixed is not None
    key = environment._cache_key(name, environment.infoview_fixed)
    assert key is not None
    return key


# -- a new process reads what the last one compiled ------------------------------------


def test_a_second_process_renders_the_same_drafts_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every built-in in en/de/fr/es, both registers: compiled once, then read from disk alike."""
    folder = tmp_path / "cache"
    _use(monkeypatch, folder)
    first = _render_all_in_a_new_process()
    kept = _files(folder)
    second = _render_all_in_a_new_process()
    assert first["drafts"] == second["drafts"]
    assert kept == _files(folder)  # read, not written again
    # The first process checked each built-in by compiling it as Jinja2 does; the second
    # only the parts of questions/list (a sibling is checked when it is found).
    assert "outreach/alumni" in first["checked"]
    assert ["questions/list.html", "questions/list.md"] == second["checked"]
    _use(monkeypatch, "")  # the reference: this process, no cache
    reference = Templates()
    for locale in LOCALES:
        for register in REGISTERS:
            interview = samples.interview(locale=locale, register=register)
            original = reference.render("outreach/alumni", interview=interview)
            for name in BUILTIN_NAMES:
                extra = {"original": original} if name == "outreach/nudge" else {}
                draft = reference.render(name, interview=interview, **extra)
                parts = [draft.subject, draft.text, draft.html, draft.markdown, draft.locale]
                assert parts == second["drafts"][f"{name} {locale} {register}"], name


def test_what_the_cache_holds_is_what_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the cache holds is used as it is: cold's code kept under alumni's key renders cold."""
    _use(monkeypatch, tmp_path)
    templates = Templates()
    cold, alumni = _parts(templates, "outreach/cold"), _parts(templates)
    cold_kept = cache.read(_key(templates, "outreach/cold"))
    alumni_key = _key(templates, "outreach/alumni")
    alumni_kept = cache.read(alumni_key)
    assert cold_kept is not None
    assert alumni_kept is not None
    cache.write(alumni_key, alumni_kept[0], cold_kept[1])
    assert cold != alumni
    assert cold[1] == _parts(Templates())[1]


def test_code_built_from_other_sources_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template file that no longer reads as the code was built from: the code is not used."""
    _use(monkeypatch, tmp_path)
    templates = Templates()
    alumni = _parts(templates)
    _parts(templates, "outreach/cold")
    cold_kept = cache.read(_key(templates, "outreach/cold"))
    alumni_key = _key(templates, "outreach/alumni")
    alumni_kept = cache.read(alumni_key)
    assert cold_kept is not None
    assert alumni_kept is not None
    name, filename, _ = alumni_kept[0][-1]  # the last template file it was built from
    changed = (*alumni_kept[0][:-1], (name, filename, "0" * 64))
    cache.write(alumni_key, changed, cold_kept[1])
    assert alumni == _parts(Templates())
    assert alumni_kept == cache.read(alumni_key)  # written again, as compiled


def _as_written(templates: Templates, name: str) -> tuple[str, str]:
    """The key and source checksum a built-in compiled as Jinja2 does is kept under."""
    environment = templates.environment
    assert environment.loader is not None
    source, filename, _ = environment.loader.get_source(environment, name)
    bucket = specialize.BuiltinBytecode().get_bucket(environment, name, filename, source)
    return bucket.key, bucket.checksum


def test_a_built_in_is_checked_from_the_code_kept_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """get_template reads a built-in's code as written from the cache, if its file is the same."""
    _use(monkeypatch, tmp_path)
    templates = Templates()
    templates.get_template("outreach/cold")
    templates.get_template("outreach/alumni")
    cold_key, _ = _as_written(templates, "outreach/cold")
    alumni_key, checksum = _as_written(templates, "outreach/alumni")
    cold = cache.read(cold_key)
    assert cold is not None

    def compiled_from() -> str:
        template = Templates().get_template("outreach/alumni")
        return Path(template.root_render_func.__code__.co_filename).name

    assert "alumni.txt" == compiled_from()
    cache.write(alumni_key, [("", "", checksum)], cold[1])
    assert "cold.txt" == compiled_from()  # what is kept is what is used
    cache.write(alumni_key, [("", "", "0" * 64)], cold[1])
    assert "alumni.txt" == compiled_from()  # not when the file reads otherwise
    assert "alumni.txt" == compiled_from()  # and it was kept again


def test_a_template_of_yours_is_compiled_as_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing of a template of yours, or of one given as a string, is kept."""
    _use(monkeypatch, tmp_path / "cache")
    (tmp_path / "cache").mkdir(mode=0o700)
    mine = tmp_path / "mine" / "outreach"
    mine.mkdir(parents=True)
    (mine / "alumni.txt").write_text("{% block subject %}Hi{% endblock %}\nHello\n", "utf-8")
    templates = Templates([tmp_path / "mine"], strings={"s": "{{ 'x' }}"})
    assert ("Hi", "HiHello\n") == _parts(templates)[:2]
    templates.get_template("s")
    assert [] == list((tmp_path / "cache").iterdir())


def test_a_template_of_yours_replacing_a_built_in_part_is_not_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Your _base/signature is rendered, though the cache holds alumni with the built-in one."""
    _use(monkeypatch, tmp_path / "cache")
    builtin = _parts(Templates())
    mine = tmp_path / "mine" / "_base"
    mine.mkdir(parents=True)
    (mine / "signature.txt").write_text("-- {{ sender.name }}, by hand\n", encoding="utf-8")
    subject, text, _, _ = _parts(Templates([tmp_path / "mine"]))
    assert builtin[0] == subject
    assert text.endswith(f"-- {samples.sender().name}, by hand\n")
    assert not builtin[1].endswith("by hand\n")


def test_a_corrupt_or_truncated_file_is_compiled_again_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Garbage or half a file in the cache: the same draft, and the file written anew."""
    _use(monkeypatch, tmp_path)
    expected = _parts(Templates())
    good = _files(tmp_path)
    for spoil in (lambda data: b"garbage", lambda data: data[: len(data) // 2], lambda data: b""):
        for path in tmp_path.iterdir():
            path.write_bytes(spoil(good[path.name][2]))
        assert expected == _parts(Templates())
        assert {n: f[2] for n, f in good.items()} == {n: f[2] for n, f in _files(tmp_path).items()}


def test_the_key_changes_with_everything_the_code_depends_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Template, locale, register, catalog, infoview's version: each gives another file."""
    _use(monkeypatch, tmp_path)
    templates = Templates()
    key = _key(templates, "outreach/alumni")
    others = {
        _key(templates, "outreach/cold"),
        _key(templates, "outreach/alumni", locale="de_CH"),
        _key(templates, "outreach/alumni", locale="fr_FR"),
        _key(templates, "outreach/alumni", register="formal"),
    }
    assert key not in others
    assert 4 == len(others)
    monkeypatch.setattr(infoview._version, "__version__", "99.0")
    assert key != _key(templates, "outreach/alumni")


def test_the_key_changes_with_the_catalog() -> None:
    """A catalog with one message changed is another catalog; the same content is the same."""
    from babel.support import Translations

    from infoview.language.locales import catalog_path, translations

    german = translations("de")
    assert isinstance(german, Translations)
    same = Translations()
    same._catalog = dict(german._catalog)  # type: ignore[attr-defined]
    changed = Translations()
    changed._catalog = dict(german._catalog)  # type: ignore[attr-defined]
    message = next(k for k in changed._catalog if isinstance(k, str) and k)  # type: ignore[attr-defined]
    changed._catalog[message] += " (changed)"  # type: ignore[attr-defined]
    identity = specialize._catalog_identity
    assert identity(german) == identity(same)
    assert identity(german) != identity(changed)
    assert identity(german) != identity(translations("fr"))
    assert catalog_path("de").is_file()


# -- where the cache is, and where it is not used --------------------------------------


def test_an_empty_setting_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """INFOVIEW_CACHE_DIR="" : nothing is written anywhere, and drafts are the same."""
    _use(monkeypatch, tmp_path)
    expected = _parts(Templates())
    _use(monkeypatch, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.directory() is None
    assert expected == _parts(Templates())
    assert not (tmp_path / "xdg").exists()


def test_the_default_folder_is_private_under_xdg_cache_home_or_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$XDG_CACHE_HOME/infoview, else ~/.cache/infoview, made 0700."""
    monkeypatch.delenv(cache.ENVIRONMENT_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert tmp_path / "xdg" / "infoview" == cache.directory()
    assert 0o700 == (tmp_path / "xdg" / "infoview").stat().st_mode & 0o777
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tmp_path / "home" / ".cache" / "infoview" == cache.directory()
    _parts(Templates())
    assert list((tmp_path / "home" / ".cache" / "infoview").iterdir())


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_folder_others_can_write_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    """Someone else could plant code there: the folder is left alone, drafts are compiled."""
    _use(monkeypatch, tmp_path)
    expected = _parts(Templates())
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    _use(monkeypatch, folder)
    assert cache.directory() is None
    assert expected == _parts(Templates())
    assert [] == list(folder.iterdir())


def test_a_folder_of_someone_else_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder another user owns is not used, whatever its mode."""
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(folder, 65534, 65534)
    else:  # a folder root owns
        folder = Path("/")
    _use(monkeypatch, folder)
    assert cache.directory() is None


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_an_unusable_folder_falls_back_to_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A file where the folder should be, or a folder that cannot be made: drafts as ever."""
    _use(monkeypatch, tmp_path / "reference")
    expected = _parts(Templates())
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    _use(monkeypatch, tmp_path / where)
    assert cache.directory() is None
    assert expected == _parts(Templates())
    assert "not a folder" == (tmp_path / "a-file").read_text(encoding="utf-8")


def test_a_file_that_cannot_be_written_or_read_is_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder standing where a cache file goes: read and write fail quietly; drafts as ever."""
    _use(monkeypatch, tmp_path / "reference")
    expected = _parts(Templates())
    kept = {p.name for p in (tmp_path / "reference").iterdir()}
    _use(monkeypatch, tmp_path / "blocked")
    (tmp_path / "blocked").mkdir(mode=0o700)
    for name in kept:
        (tmp_path / "blocked" / name).mkdir()
    assert expected == _parts(Templates())
    assert expected == _parts(Templates())
    assert kept == {p.name for p in (tmp_path / "blocked").iterdir()}  # no temporary file left


def test_a_sandboxed_render_never_uses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sandboxed templates are never specialized, so never kept."""
    _use(monkeypatch, tmp_path)
    _parts(Templates(sandboxed=True))
    assert [] == list(tmp_path.iterdir())


def test_preview_defaults_are_the_preview_modules() -> None:
    """Templates.preview's default languages and registers are infoview.rendering.preview's."""
    import inspect

    parameters = inspect.signature(Templates.preview).parameters
    assert preview.LOCALES == parameters["locales"].default
    assert preview.REGISTERS == parameters["registers"].default


def test_a_first_render_loads_no_preview_and_no_sandbox_module() -> None:
    """Rendering a built-in loads neither the preview (and its lint) nor, here, the sandbox."""
    code = (
        "import sys, infoview\n"
        "from infoview.model import samples\n"
        "infoview.Templates().render('outreach/alumni', interview=samples.interview())\n"
        "print(sorted(m for m in sys.modules if m.startswith('infoview.rendering')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=os.environ
    )
    loaded = done.stdout
    assert "infoview.rendering.preview" not in loaded
    assert "infoview.rendering.quality" not in loaded
    assert "infoview.rendering.cache" in loaded


def test_a_full_folder_loses_its_oldest_files_when_a_new_one_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past KEEP files (earlier versions'), a write removes the oldest, never the new one."""
    _use(monkeypatch, tmp_path)
    monkeypatch.setattr(_kept, "KEEP", 10)
    code = compile("x = 1", "<test>", "exec")
    for n in range(10):
        cache.write(f"old{n:02}", (), code)
        os.utime(tmp_path / f"old{n:02}.jinja-code", ns=(n * 10**9, n * 10**9))
    assert 10 == len(list(tmp_path.glob("*.jinja-code")))
    cache.write("new", (), code)
    left = sorted(p.name for p in tmp_path.glob("*.jinja-code"))
    assert ["new.jinja-code", *(f"old{n:02}.jinja-code" for n in range(2, 10))] == left
    assert cache.read("new") is not None

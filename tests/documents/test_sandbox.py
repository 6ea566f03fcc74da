"""Templates are untrusted: the well-known Jinja escapes and unbounded loops in a kommun's own
template (``dokument: mallar:``) and in a decided version's frozen template are refused with a
catalogue code, quickly, with nothing run (the canary file never appears) and nothing written."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from docx import Document

from reportkit.documents.render import find_template, render_document
from reportkit.errors import ReportkitError

PERIOD = "2026-delår"
CANARY = "CANARY"
QUICK = 30.0
"""Seconds a refused render may take on a loaded test machine (a 10**9 loop runs for hours)."""


def payloads(canary: Path) -> dict[str, tuple[str, str]]:
    """name → (the tag, the catalogue code it must get). ``namnd`` is a chapter's own value."""
    touch = f"touch {canary}"
    return {
        "mro-subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "template-unsafe"),
        "cycler-globals": (f"{{{{ cycler.__init__.__globals__.os.popen('{touch}').read() }}}}",
                           "template-unsafe"),
        "joiner-globals": (f"{{{{ joiner.__init__.__globals__.os.popen('{touch}').read() }}}}",
                           "template-unsafe"),
        "namespace-globals": (
            f"{{{{ namespace.__init__.__globals__.os.popen('{touch}').read() }}}}",
            "template-unsafe"),
        "lipsum-globals": (f"{{{{ lipsum.__globals__['os'].popen('{touch}').read() }}}}",
                           "template-unsafe"),
        "self-globals": ("{{ self.__init__.__globals__.__builtins__['__import__']('os')"
                         f".popen('{touch}').read() }}}}", "template-unsafe"),
        "attr-filter": ("{{ namnd|attr('__class__') }}", "template-unsafe"),
        "item-access": ("{{ namnd['__class__'] }}", "template-unsafe"),
        "str-format": ("{{ '{0.__class__}'.format(namnd) }}", "template-unsafe"),
        "percent-format": ("{{ '%s'|format(cycler.__init__.__globals__) }}", "template-unsafe"),
        "function-dunder": ("{{ range.__self__ }}", "template-unsafe"),
        "include": ("{% include '/etc/passwd' %}", "template-unsafe"),
        "endless-macro": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
                          "template-too-large"),
        "range-1e9": ("{% for i in range(10**9) %}x{% endfor %}", "template-too-large"),
        "repeat-1e8": ("{{ 'x' * 10**8 }}", "template-too-large"),
        "center-1e8": ("{{ 'x'|center(10**8) }}", "template-too-large"),
    }


NESTED_LOOPS = ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                "{% endfor %}")
"""Within the range bound and writing nothing: only the time limit stops it."""


def _with_payload(source: Path, dest: Path, tag: str) -> None:
    """A copy of the template ``source`` with a paragraph "Kanarie: <tag>" near the top."""
    doc = Document(str(source))
    first = doc.paragraphs[0]
    first.insert_paragraph_before(f"Kanarie: {tag}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(dest))


def _assert_refused(err: pytest.ExceptionInfo[ReportkitError], code: str, template: str,
                    canary: Path) -> None:
    codes = [p.code for p in err.value.problems]
    assert code in codes, [p.line() for p in err.value.problems]
    found = next(p for p in err.value.problems if p.code == code)
    assert found.location.file == template
    assert template in found.message
    if code != "template-timeout":
        assert "Kanarie" in found.values["near"], found.message
    assert "Traceback" not in found.line() and "unsafe" not in found.line()
    assert not canary.exists()


# --------------------------------------------------------------------------------------------
# The render engine itself (fast)


@pytest.mark.parametrize("name", sorted(payloads(Path("/x"))))
def test_render_document_refuses_the_payload(tmp_path: Path, name: str) -> None:
    canary = tmp_path / CANARY
    tag, code = payloads(canary)[name]
    template = tmp_path / "mallar" / "kapitel-namnd.docx"
    _with_payload(find_template("kapitel-namnd"), template, tag)
    out = tmp_path / "ut" / "kapitel.docx"
    started = time.monotonic()
    with pytest.raises(ReportkitError) as err:
        render_document(template, _context_for(template), out, core={"title": "t"})
    assert time.monotonic() - started < QUICK
    _assert_refused(err, code, template.name, canary)
    assert not out.exists()
    assert not (tmp_path / "ut").exists() or list((tmp_path / "ut").iterdir()) == []


def _context_for(template: Path) -> dict[str, object]:
    """Every variable the template uses, so the pre-flight passes: ``namnd`` a plain dict, the
    others any field or item (the payload comes first, so nothing else is reached)."""
    from reportkit.documents.render import template_variables

    used = template_variables(template) or frozenset()

    class Anything(dict):  # any field, any item, iterable as empty
        def __missing__(self, key: object) -> Anything:
            return Anything()

        def __getattr__(self, name: str) -> Anything:
            if name.startswith("_"):
                raise AttributeError(name)
            return Anything()

    return {**{name: Anything() for name in used}, "namnd": {"namn": "Nämnden"}}


def test_a_template_past_the_time_limit_is_stopped(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "egen.docx"
    doc = Document()
    doc.add_paragraph("Före loopen")
    doc.add_paragraph(f"Kanarie: {NESTED_LOOPS}")
    doc.save(str(template))
    out = tmp_path / "ut.docx"
    monkeypatch.setenv("REPORTKIT_MALL_TIDSGRANS", "1")
    started = time.monotonic()
    with pytest.raises(ReportkitError) as err:
        render_document(template, {}, out, core={})
    assert time.monotonic() - started < 1 + QUICK / 3
    [p] = err.value.problems
    assert p.code == "template-timeout"
    assert "1 sekunder" in p.message
    assert "Kanarie" in p.values["near"]  # stopped by its own alarm, which says where
    assert not out.exists() and list(tmp_path.glob(".*.tmp")) == []
    with pytest.raises(ReportkitError) as err:  # the same with a time_limit argument
        render_document(template, {}, out, core={}, time_limit=0.5)
    assert err.value.problems[0].code == "template-timeout"


def test_a_time_limit_that_is_no_number_is_a_swedish_fel(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "egen.docx"
    doc = Document()
    doc.add_paragraph("Hej {{ namn }}")
    doc.save(str(template))
    monkeypatch.setenv("REPORTKIT_MALL_TIDSGRANS", "en minut")
    with pytest.raises(ReportkitError) as err:
        render_document(template, {"namn": "x"}, tmp_path / "ut.docx", core={})
    assert err.value.problems[0].code == "template-time-limit-invalid"
    monkeypatch.setenv("REPORTKIT_MALL_TIDSGRANS", "2,5")
    result = render_document(template, {"namn": "Världen"}, tmp_path / "ut.docx", core={})
    assert "Hej Världen" in "\n".join(p.text for p in Document(str(result.path)).paragraphs)


def test_a_huge_output_is_stopped_by_the_output_bound(tmp_path: Path) -> None:
    template = tmp_path / "egen.docx"
    doc = Document()
    doc.add_paragraph("Kanarie: {% for i in range(100000) %}{{ rad }}{% endfor %}")
    doc.save(str(template))
    with pytest.raises(ReportkitError) as err:
        render_document(template, {"rad": "y" * 1000}, tmp_path / "ut.docx", core={})
    [p] = err.value.problems
    assert p.code == "template-too-large" and "50 MB" in p.message
    assert "Kanarie" in p.values["near"]


def test_a_tag_that_fails_in_python_is_a_swedish_fel_with_the_nearby_text(
        tmp_path: Path) -> None:
    template = tmp_path / "egen.docx"
    doc = Document()
    doc.add_paragraph("Kanarie: {{ 1/0 }}")
    doc.save(str(template))
    with pytest.raises(ReportkitError) as err:
        render_document(template, {}, tmp_path / "ut.docx", core={})
    [p] = err.value.problems
    assert p.code == "template-render-failed"
    assert 'nära texten "Kanarie: {{ 1/0 }}"' in p.message
    assert not (tmp_path / "ut.docx").exists()


def test_ordinary_tags_still_work_in_the_sandbox(tmp_path: Path) -> None:
    template = tmp_path / "egen.docx"
    doc = Document()
    doc.add_paragraph("{% for r in rader %}{{ r.namn }}={{ r.v[1] }};{% endfor %}"
                      "{{ rader|length }} {{ 'a-b'|upper }} {{ 7*7 }} {{ namn }}")
    doc.save(str(template))
    result = render_document(template, {"rader": [{"namn": "A", "v": [1, 2]}],
                                        "namn": "<w:p> & {{ 7*7 }}"}, tmp_path / "ut.docx",
                             core={})
    text = "\n".join(p.text for p in Document(str(result.path)).paragraphs)
    assert text == "A=2;1 A-B 49 <w:p> & {{ 7*7 }}"


# --------------------------------------------------------------------------------------------
# Through a project: the kommun's own template folder, and a decided version's frozen template


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    """Exempelkommun 2026-delår consolidated, with its own template folder (``dokument:
    mallar: mallar``), rendered once (charts and section texts in place)."""
    from reportkit.consolidate.run import consolidate
    from reportkit.demo.simulate import fill_workbooks
    from reportkit.documents.build import render_document_for
    from reportkit.outputs.outbox import generate_workbooks
    from reportkit.resources import templates_dir
    from reportkit.styrmodell.project import Project
    from reportkit.styrmodell.project_setup import init_project

    root = tmp_path_factory.mktemp("sandlada") / "kommun"
    init_project(root)
    yaml = root / "styrmodell" / "2026.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("  # mallar: mallar", "  mallar: mallar", 1), encoding="utf-8")
    shutil.copytree(templates_dir() / "docx", root / "mallar" / "docx")
    project = Project.open(root)
    paths = generate_workbooks(project, PERIOD)
    fill_workbooks(paths, project.inbox(PERIOD), mistakes=False)
    consolidate(project, PERIOD)
    render_document_for(project, "delarsrapport", PERIOD)
    shutil.rmtree(project.reports(PERIOD))
    return project


def _written(project) -> list[Path]:
    folder = project.reports(PERIOD)
    return sorted(folder.rglob("*")) if folder.exists() else []


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(payloads(Path("/x"))))
def test_the_kommuns_own_template_is_refused(project, tmp_path: Path, name: str) -> None:
    from reportkit.documents.build import render_document_for

    canary = tmp_path / CANARY
    tag, code = payloads(canary)[name]
    own = project.root / "mallar" / "docx" / "kapitel-namnd.docx"
    pristine = own.read_bytes()
    _with_payload(own, own, tag)
    try:
        started = time.monotonic()
        with pytest.raises(ReportkitError) as err:
            render_document_for(project, "delarsrapport", PERIOD, chapters=True)
        assert time.monotonic() - started < QUICK
    finally:
        own.write_bytes(pristine)
    _assert_refused(err, code, "kapitel-namnd.docx", canary)
    assert [p for p in _written(project) if p.is_file()] == []


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(payloads(Path("/x"))))
def test_a_decided_versions_frozen_template_is_refused(project, tmp_path: Path,
                                                       name: str) -> None:
    """The template was frozen into a nämnd's decision; the kommun's folder is clean again,
    so only the frozen bytes carry the payload."""
    from reportkit.documents.build import render_document_for
    from reportkit.storage import decisions

    canary = tmp_path / CANARY
    tag, code = payloads(canary)[name]
    own = project.root / "mallar" / "docx" / "kapitel-namnd.docx"
    pristine = own.read_bytes()
    number = sorted(payloads(Path("/x"))).index(name) + 10
    text = f"BUN 2026-09-15 § {number}"
    _with_payload(own, own, tag)
    try:
        decision = decisions.record_decision(project, PERIOD, text, committee="BUN")
    finally:
        own.write_bytes(pristine)
    try:
        started = time.monotonic()
        with pytest.raises(ReportkitError) as err:
            render_document_for(project, "delarsrapport", PERIOD, version=text)
        assert time.monotonic() - started < QUICK
    finally:
        decisions.undo_decision(project, PERIOD, str(decision.id), "test av sandlådan")
    first = err.value.problems[0]
    assert first.code == "decision-template-refused"
    assert f"Beslutad version {decision.id} ({text})" in first.message
    assert f"--ångra {decision.id}" in first.hint
    _assert_refused(err, code, "kapitel-namnd.docx", canary)
    assert [p for p in _written(project) if p.is_file()] == []


@pytest.mark.slow
def test_a_decided_versions_endless_template_is_stopped_by_the_time_limit(
        project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.documents.build import render_document_for
    from reportkit.storage import decisions

    own = project.root / "mallar" / "docx" / "kapitel-namnd.docx"
    pristine = own.read_bytes()
    text = "BUN 2026-09-15 § 99"
    _with_payload(own, own, NESTED_LOOPS)
    try:
        decision = decisions.record_decision(project, PERIOD, text, committee="BUN")
        with pytest.raises(ReportkitError) as err:  # the kommun's own template, too
            monkeypatch.setenv("REPORTKIT_MALL_TIDSGRANS", "1")
            render_document_for(project, "delarsrapport", PERIOD)
        assert err.value.problems[0].code == "template-timeout"
    finally:
        own.write_bytes(pristine)
    try:
        started = time.monotonic()
        with pytest.raises(ReportkitError) as err:
            render_document_for(project, "delarsrapport", PERIOD, version=text)
        assert time.monotonic() - started < 1 + QUICK
    finally:
        decisions.undo_decision(project, PERIOD, str(decision.id), "test av sandlådan")
    assert [p.code for p in err.value.problems] == ["decision-template-refused",
                                                    "template-timeout"]
    assert [p for p in _written(project) if p.is_file()] == []


@pytest.mark.slow
@pytest.mark.parametrize("tag, code", [
    ("{{ cycler.__init__.__globals__.os.popen('touch CANARY').read() }}", "template-unsafe"),
    (NESTED_LOOPS, "template-timeout"),
])
def test_chapters_in_the_two_workers_are_refused_too(tmp_path: Path, tag: str, code: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Many chapters render in compose's 2 forked workers (each render under its own alarm
    there); the first refused chapter stops the document, not once per chapter."""
    from reportkit.documents import compose
    from reportkit.documents.compose import render_report
    from reportkit.documents.reportdata import example_reportdata

    monkeypatch.setattr(compose, "PARALLEL_MIN_CHAPTERS", 1)
    if code == "template-timeout":  # (only then: a chart drawn beside may take a second)
        monkeypatch.setenv("REPORTKIT_MALL_TIDSGRANS", "1")
    monkeypatch.chdir(tmp_path)  # where 'touch CANARY' would write
    own = tmp_path / "mallar"
    own.mkdir()
    for name in ("arsredovisning", "kapitel-namnd"):
        shutil.copyfile(find_template(name), own / f"{name}.docx")
    _with_payload(own / "kapitel-namnd.docx", own / "kapitel-namnd.docx", tag)
    out = tmp_path / "ut" / "ar.docx"
    started = time.monotonic()
    with pytest.raises(ReportkitError) as err:
        render_report("arsredovisning", example_reportdata(), out,
                      texts_dir=tmp_path / "texter", template_dir=own,
                      chart_cache=tmp_path / "diagram")
    assert time.monotonic() - started < QUICK
    _assert_refused(err, code, "kapitel-namnd.docx", tmp_path / CANARY)
    assert not out.exists()

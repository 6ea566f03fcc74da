"""Fuzz: real generated styrkort mutated at the zip and XML level (issue 21, item 10).

Every mutated file must come out of the check as values or catalogue Problems: pre-flight and
the XML reader run in this process (Python and lxml: they must never raise anything but a
ReportkitError of catalogue problems), the whole check in a forked child under
the memory limit (:func:`reportkit.intake.check.check`), within the time limit. A Python
exception in the check, a child that hangs, or a code outside ``reportkit.errors.CATALOGUE``
fails the test; a native abort in the child is allowed only as the ``file-corrupt`` verdict the
check gives it, and pre-flight should have refused the file first (such a find is kept below
as an ``@example``).

Mutations: bytes flipped in a part, a part cut short or dropped, a number in an attribute
or a cell reference replaced by a huge one (the reference also in lower case or single
quotes), an element (row, cell, shared string, sheet) repeated, invalid UTF-8
put into the XML, and the zip's own bytes (central directory, local headers) damaged.

Bounded: 30 examples by default (a few seconds); more on demand::

    REPORTKIT_FUZZ_EXAMPLES=2000 python -m pytest tests/workbook/test_fuzz.py -q

The deadline per example is 10 s (a check takes ~50 ms).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reportkit import isolate
from reportkit.errors import CATALOGUE, ReportkitError
from reportkit.intake.check import check_file, died_report
from reportkit.workbook.safety import preflight_read
from reportkit.workbook.xmlinfo import read_xml_info

EXAMPLES = int(os.environ.get("REPORTKIT_FUZZ_EXAMPLES", "30"))
TIME_LIMIT_S = 10.0
HUGE = (4294967295, 4294967296, 2**63, 10**12, 99999999, 1048577, 2**31, 0)
ELEMENTS = (rb"<row\b[^>]*>.*?</row>", rb"<c\b[^>]*>.*?</c>", rb"<si>.*?</si>",
            rb"<sheet\b[^>]*/>", rb"<dimension\b[^>]*/>", rb"<Relationship\b[^>]*/>")
UNITS = ("KS", "kommun", "solrosens-forskola")

mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 99), st.integers(0, 10**9), st.integers(0, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 99), st.integers(0, 10**9)),
    st.tuples(st.just("drop"), st.integers(0, 99)),
    st.tuples(st.just("huge"), st.integers(0, 99), st.integers(0, 10**6), st.sampled_from(HUGE)),
    st.tuples(st.just("repeat"), st.integers(0, 99), st.integers(0, 10**6),
              st.sampled_from(ELEMENTS), st.integers(2, 50)),
    st.tuples(st.just("utf8"), st.integers(0, 99), st.integers(0, 10**9),
              st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                               b"\x00", b"\xef\xbf"])),
    st.tuples(st.just("ref"), st.integers(0, 99), st.integers(0, 10**6), st.sampled_from(HUGE),
              st.booleans(), st.booleans()),
    st.tuples(st.just("zip"), st.integers(0, 10**9), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("zipcut"), st.integers(0, 10**9)),
)


def mutate(members: list[tuple[str, bytes]], ops: list[tuple]) -> bytes:
    """The workbook with ``ops`` applied to its parts, then to the zip's own bytes."""
    parts = list(members)
    raw_ops = []
    for op in ops:
        kind = op[0]
        if kind in ("zip", "zipcut"):
            raw_ops.append(op)
            continue
        if not parts:
            break
        i = op[1] % len(parts)
        name, data = parts[i]
        if kind == "flip" and data:
            pos = op[2] % len(data)
            data = data[:pos] + bytes([op[3]]) + data[pos + 1:]
        elif kind == "truncate":
            data = data[:op[2] % (len(data) + 1)]
        elif kind == "drop":
            del parts[i]
            continue
        elif kind == "huge":
            numbers = list(re.finditer(rb'="(-?[0-9]+)"', data))
            if numbers:
                m = numbers[op[2] % len(numbers)]
                data = data[:m.start(1)] + str(op[3]).encode() + data[m.end(1):]
        elif kind == "ref":  # a cell or row reference: huge row, lower-case, single quotes
            refs = list(re.finditer(rb'\br="([A-Z]*)([0-9]+)"', data))
            if refs:
                m = refs[op[2] % len(refs)]
                letters = m.group(1).lower() if op[4] else m.group(1)
                quote = b"'" if op[5] else b'"'
                new = b"r=" + quote + letters + str(op[3]).encode() + quote
                data = data[:m.start()] + new + data[m.end():]
        elif kind == "repeat":
            found = list(re.finditer(op[3], data, re.S))
            if found:
                m = found[op[2] % len(found)]
                data = data[:m.end()] + m.group(0) * op[4] + data[m.end():]
        elif kind == "utf8" and data:
            pos = op[2] % len(data)
            data = data[:pos] + op[3] + data[pos:]
        parts[i] = (name, data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(name, data)
    raw = out.getvalue()
    for op in raw_ops:
        if op[0] == "zip":
            pos = op[1] % len(raw) if raw else 0  # an earlier cut may have left nothing
            raw = raw[:pos] + op[2] + raw[pos + len(op[2]):]
        else:
            raw = raw[:op[1] % (len(raw) + 1)]
    return raw


class Bases(dict):
    """The parts of each base workbook; a short repr for hypothesis's report of a failure."""

    def __repr__(self) -> str:
        return f"<the parts of {', '.join(self)}>"


@pytest.fixture(scope="module")
def bases(delar_workbooks: dict[str, Path]) -> Bases:
    out = Bases()
    for unit in UNITS:
        with zipfile.ZipFile(delar_workbooks[unit]) as zf:
            out[unit] = [(info.filename, zf.read(info)) for info in zf.infolist()]
    return out


def assert_verdict(data: bytes) -> None:
    """Pre-flight in this process and the check in a child: values or catalogue Problems."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "muterad.xlsx"
        path.write_bytes(data)
        problems, accepted = preflight_read(path)  # never raises: an exception fails here
        assert len(problems) <= 1
        assert all(p.code in CATALOGUE for p in problems)
        if accepted is not None:  # the XML reader (lxml, pure Python scans) in this process
            try:
                read_xml_info(path, data=accepted.data, members=accepted.parts)
            except ReportkitError as exc:
                assert all(p.code in CATALOGUE for p in exc.problems)
        started = time.monotonic()
        [(_, result)] = list(isolate.each(check_file, [path], timeout=TIME_LIMIT_S))
        assert time.monotonic() - started < TIME_LIMIT_S + 5
        # check_file never raises and never hangs; a native abort is the net's business, but
        # pre-flight should have refused the file first
        assert not isinstance(result, isolate.Death), (result, problems)
        report = result
        assert all(p.code in CATALOGUE for p in report.problems)
        assert all("{" not in p.message + p.hint for p in report.problems), [
            p.to_dict() for p in report.problems if "{" in p.message + p.hint]
        if report.submission is not None:
            assert not any(p.code.startswith("file-") for p in report.problems)
        died = died_report(path, isolate.Death("signal", "SIGABRT"))
        assert [p.code for p in died.problems] == ["file-corrupt"]


@settings(max_examples=EXAMPLES, deadline=timedelta(seconds=TIME_LIMIT_S + 5),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(unit=st.sampled_from(UNITS), ops=st.lists(mutation, min_size=1, max_size=4))
# found: a sheet's <sheetProtection sheet="1"> made sheet="4294967295" printed "Bladet '{sheet}'
# är inte längre skyddat" (the sheet was in the location, not in the template's values)
@example(unit="KS", ops=[("huge", 7, 90912, 4_294_967_295)])
def test_a_mutated_workbook_gets_values_or_catalogue_problems(bases, unit, ops) -> None:
    assert_verdict(mutate(bases[unit], ops))


def test_the_mutations_change_the_file(bases) -> None:
    members = bases["KS"]
    plain = mutate(members, [])
    assert mutate(members, [("huge", 9, 0, 4294967295)]) != plain
    assert mutate(members, [("repeat", 3, 0, ELEMENTS[0], 3)]) != plain

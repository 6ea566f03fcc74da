"""The public API: the names the CLI calls, importable from ``reportkit`` itself."""

from __future__ import annotations

import inspect

import reportkit


def test_every_public_name_resolves_and_says_what_it_does() -> None:
    for name in reportkit.__all__:
        value = getattr(reportkit, name)
        if callable(value):
            assert (inspect.getdoc(value) or "").strip(), f"{name} has no docstring"
    assert set(dir(reportkit)) >= set(reportkit.__all__)


def test_consolidate_period_is_the_consolidation_even_after_the_subpackage_loads() -> None:
    import reportkit.consolidate.run as run

    assert reportkit.consolidate_period is run.consolidate


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        reportkit.no_such_step  # noqa: B018
    except AttributeError as exc:
        assert "no_such_step" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_all_lists_exactly_the_lazy_names() -> None:
    assert set(reportkit.__all__) == set(reportkit._API) | {
        "Problem", "ReportkitError", "__version__"}

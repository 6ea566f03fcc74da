"""docs/styrmodell.md stays true: every example validates, every key of the schema is there."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from reportkit.styrmodell.config import StyrmodellConfig
from reportkit.styrmodell.model import build

DOC = Path(__file__).resolve().parents[1] / "docs" / "styrmodell.md"

BASE = """
version: 1
år: 2026
kommun: {namn: Minsta}
målområden:
  - {id: medborgare, namn: Medborgare}
  - {id: medarbetare, namn: Medarbetare}
  - {id: ekonomi, namn: Ekonomi}
perioder:
  - {id: 2026-helår, typ: helår, namn: Årsredovisning 2026, från: 2026-01-01,
     till: 2026-12-31, nivåer: [enhet, verksamhet, nämnd, kommun]}
mål:
  - {id: IM1, namn: Ett mål, område: medborgare}
"""


def _examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_doc_has_an_example_per_section() -> None:
    assert len(_examples()) >= 10


@pytest.mark.parametrize("n", range(len(_examples())))
def test_each_example_validates_in_a_minimal_styrmodell(n: int) -> None:
    example = yaml.safe_load(_examples()[n])
    assert isinstance(example, dict)
    data = {**yaml.safe_load(BASE), **example}  # the example's top-level keys replace the base's
    config = StyrmodellConfig.model_validate(data)
    _model, problems = build(config, "styrmodell/2026.yaml")
    assert [p.line() for p in problems if p.is_error] == []


def _nested(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested(arg)
        if found is not None:
            return found
    return None


def _keys(model: type[BaseModel], seen: set[type]) -> set[str]:
    seen.add(model)
    out = set()
    for name, info in model.model_fields.items():
        out.add(info.alias or name)
        inner = _nested(info.annotation)
        if inner is not None and inner not in seen:
            out |= _keys(inner, seen)
    return out


def test_every_key_of_the_schema_is_in_the_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = sorted(k for k in _keys(StyrmodellConfig, set()) if f"`{k}`" not in text)
    assert missing == []


def test_every_form_of_a_word_is_in_the_doc() -> None:
    from reportkit.styrmodell.config import WORD_KEYS

    text = DOC.read_text(encoding="utf-8")
    assert [k for k in WORD_KEYS if f"`{k}`" not in text] == []

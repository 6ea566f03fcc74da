"""``koncern:`` in ``data/import.yaml``: the koncernföretag export and who is in the koncern.

The ekonomiavdelning's choice, beside its export (docs/koncern.md): each koncernföretag with
its id (as in the styrmodell for a bolag that has a styrkort, else the export's own), its name
when the styrmodell does not have it, its owner (a dotterbolag's holding bolag; the kommun by
default) and whether it is consolidated. A company of ringa betydelse is listed with
``ingår: false`` and the reason (``skäl``), which the notes state. The shares themselves
(ägarandel, röstandel) come from the export, as the companies' accounts do.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CompanyKind = Literal["bolag", "kommunalförbund", "stiftelse", "ekonomisk_förening"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class KoncernColumns(_Model):
    period: str = Field("Period", alias="period")
    company: str = Field("Företag", alias="företag")
    statement: str = Field("Rapport", alias="rapport")
    post: str = Field("Post", alias="post")
    counterpart: str = Field("Motpart", alias="motpart")
    amount: str = Field("Belopp", alias="belopp")


class KoncernCompany(_Model):
    """One kommunalt koncernföretag. ``name`` and ``kind`` default to the styrmodell's org
    unit with the same id. ``included: false`` needs a ``reason`` (ringa betydelse)."""

    id: str = Field(alias="id", min_length=1)
    name: str | None = Field(None, alias="namn")
    kind: CompanyKind | None = Field(None, alias="typ")
    owner: str | None = Field(None, alias="ägare")
    included: bool = Field(True, alias="ingår")
    reason: str | None = Field(None, alias="skäl")
    ownership: float | None = Field(None, alias="ägarandel", ge=0, le=100)
    """Only for a company left out (it has no rows in the export): the share shown."""

    @model_validator(mode="after")
    def _reason_when_left_out(self) -> KoncernCompany:
        if not self.included and not self.reason:
            raise ValueError("ett koncernföretag med 'ingår: false' behöver 'skäl' (till "
                             "exempel ringa betydelse med omsättning och balansomslutning)")
        return self


class KoncernMapping(_Model):
    """``företag`` empty: the kommun has no koncern to consolidate and no file is expected."""

    file: str = Field("koncern.csv", alias="fil")
    kommun: str = Field("Kommunen", alias="kommunen")
    """What the export's Företag column holds on the kommun's own rows."""
    columns: KoncernColumns = Field(default_factory=KoncernColumns, alias="kolumner")
    companies: list[KoncernCompany] = Field(default_factory=list, alias="företag")
    tolerance: float = Field(1.0, alias="tolerans_tkr", ge=0)
    threshold: float = Field(20.0, alias="röstgräns", ge=0, le=100)
    """A company with a smaller röstandel (%) is no kommunalt koncernföretag (RKR R16)."""

    def company(self, key: str) -> KoncernCompany | None:
        return next((c for c in self.companies if c.id == key), None)

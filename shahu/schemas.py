"""One pandera `DataFrameModel` per CSV: the data contract of DESIGN.md, in code.

Columns are referred to through the models (`Project.sector`), never as loose strings.
Numbers and dates arrive already parsed by `validation` (which understands the way Excel
users write them); these models check types, ranges, vocabularies and keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

PROVENANCES = ("reported", "estimated", "illustrative")
SECTORS = ("carbon_finance", "carbon_tech", "carbon_industry")
PROJECT_STATUSES = ("signed", "landed", "operating")
PRODUCT_KINDS = ("index", "repo", "pledge_loan", "interest_offset", "fund", "platform", "loan")
INSTITUTION_CATEGORIES = (
    "registry",
    "exchange",
    "national_team",
    "bank",
    "firm",
    "service",
    "alliance",
    "platform",
)
METRIC_QUALIFIERS = ("", "more_than", "about", "order_of")

# Wuhan, generously: a point outside this box is a typo or swapped lat/lon.
LAT_RANGE = (30.3, 30.8)
LON_RANGE = (114.0, 114.7)
ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]*$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _id(**kw) -> pa.Field:
    return pa.Field(str_matches=ID_PATTERN, **kw)


def _text(**kw) -> pa.Field:
    return pa.Field(str_length={"min_value": 1}, **kw)


class _Base(pa.DataFrameModel):
    class Config:
        strict = False
        coerce = True


class Building(_Base):
    """`buildings.csv`: the towers of the belt where dual-carbon firms gather."""

    building_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    lat: Series[float] = pa.Field(in_range={"min_value": LAT_RANGE[0], "max_value": LAT_RANGE[1]})
    lon: Series[float] = pa.Field(in_range={"min_value": LON_RANGE[0], "max_value": LON_RANGE[1]})
    address_zh: Series[str] = pa.Field()
    role_zh: Series[str] = pa.Field()
    role_en: Series[str] = pa.Field()
    firms_count: Series[float] = pa.Field(ge=0, nullable=True)
    position_accuracy_m: Series[float] = pa.Field(ge=0, nullable=True)
    provenance: Series[str] = pa.Field(isin=PROVENANCES)
    source: Series[str] = _text()
    address_en: Series[str] | None = pa.Field(nullable=True)
    source_en: Series[str] | None = pa.Field(nullable=True)


class Project(_Base):
    """`projects.csv`: the signings (23 on 2025-09-23); empty amount = undisclosed, never 0."""

    project_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    sector: Series[str] = pa.Field(isin=SECTORS)
    company: Series[str] = pa.Field()
    amount_cny_100m: Series[float] = pa.Field(ge=0, nullable=True)
    signed_on: Series[str] = pa.Field(str_matches=DATE_PATTERN)
    building_id: Series[str] = pa.Field()
    lat: Series[float] = pa.Field(
        in_range={"min_value": LAT_RANGE[0], "max_value": LAT_RANGE[1]}, nullable=True
    )
    lon: Series[float] = pa.Field(
        in_range={"min_value": LON_RANGE[0], "max_value": LON_RANGE[1]}, nullable=True
    )
    status: Series[str] = pa.Field(isin=PROJECT_STATUSES)
    provenance: Series[str] = pa.Field(isin=PROVENANCES)
    source: Series[str] = _text()


class FinanceProduct(_Base):
    """`finance_products.csv`: 碳指数, 碳回购, 碳质押贷款, 碳减排量抵扣贷款利息 …"""

    product_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    kind: Series[str] = pa.Field(isin=PRODUCT_KINDS)
    provider: Series[str] = pa.Field()
    launched_on: Series[str] = pa.Field(str_matches=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")
    scale_cny_100m: Series[float] = pa.Field(ge=0, nullable=True)
    description_zh: Series[str] = pa.Field()
    description_en: Series[str] = pa.Field()
    provenance: Series[str] = pa.Field(isin=PROVENANCES)
    source: Series[str] = _text()


class Institution(_Base):
    """`institutions.csv`: 中碳登, the exchange, the “双碳国家队”, banks and firms."""

    institution_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    category: Series[str] = pa.Field(isin=INSTITUTION_CATEGORIES)
    sector: Series[str] = pa.Field(isin=("", *SECTORS))
    building_id: Series[str] = pa.Field()
    lat: Series[float] = pa.Field(
        in_range={"min_value": LAT_RANGE[0], "max_value": LAT_RANGE[1]}, nullable=True
    )
    lon: Series[float] = pa.Field(
        in_range={"min_value": LON_RANGE[0], "max_value": LON_RANGE[1]}, nullable=True
    )
    provenance: Series[str] = pa.Field(isin=PROVENANCES)
    source: Series[str] = _text()


class Metric(_Base):
    """`metrics.csv`: headline figures, keyed on (`metric`, `as_of`)."""

    metric: Series[str] = _id()
    as_of: Series[str] = pa.Field(str_matches=DATE_PATTERN)
    value: Series[float] = pa.Field()
    qualifier: Series[str] = pa.Field(isin=METRIC_QUALIFIERS)
    unit: Series[str] = pa.Field()
    label_zh: Series[str] = _text()
    label_en: Series[str] = _text()
    provenance: Series[str] = pa.Field(isin=PROVENANCES)
    source: Series[str] = _text()

    @pa.dataframe_check(name="duplicate_key")
    def _unique_key(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df.duplicated(subset=[cls.metric, cls.as_of], keep=False)


@dataclass(frozen=True)
class TableSpec:
    """How one CSV maps onto its model: file name, key, and which columns are numbers."""

    name: str
    model: type[pa.DataFrameModel]
    key: tuple[str, ...]
    numeric: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.to_schema().columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.optional)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "buildings",
            Building,
            key=(Building.building_id,),
            numeric=(
                Building.lat,
                Building.lon,
                Building.firms_count,
                Building.position_accuracy_m,
            ),
            optional=(
                Building.role_zh,
                Building.role_en,
                Building.firms_count,
                Building.position_accuracy_m,
            ),
        ),
        TableSpec(
            "projects",
            Project,
            key=(Project.project_id,),
            numeric=(Project.amount_cny_100m, Project.lat, Project.lon),
        ),
        TableSpec(
            "finance_products",
            FinanceProduct,
            key=(FinanceProduct.product_id,),
            numeric=(FinanceProduct.scale_cny_100m,),
            optional=(
                FinanceProduct.scale_cny_100m,
                FinanceProduct.description_zh,
                FinanceProduct.description_en,
            ),
        ),
        TableSpec(
            "institutions",
            Institution,
            key=(Institution.institution_id,),
            numeric=(Institution.lat, Institution.lon),
            optional=(Institution.sector,),
        ),
        TableSpec(
            "metrics",
            Metric,
            key=(Metric.metric, Metric.as_of),
            numeric=(Metric.value,),
            optional=(Metric.qualifier,),
        ),
    )
}

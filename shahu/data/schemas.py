"""One pandera `DataFrameModel` per CSV, DESIGN.md's data contract in code: types, ranges,
vocabularies and keys of values `validation` has parsed. Columns are named through the models
(`Project.sector`); a custom check is named after the problem code it reports (`problem.<name>`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from shahu.core.formatting import real_date

PROVENANCES = ("reported", "estimated", "illustrative")
SECTORS = ("carbon_finance", "carbon_tech", "carbon_industry")
PROJECT_STATUSES = ("signed", "landed", "operating")
PRODUCT_KINDS = (
    "index",
    "repo",
    "pledge_loan",
    "interest_offset",
    "fund",
    "platform",
    "loan",
    "cooperation",
)
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
EVENT_QUALIFIERS = ("", "超", "约")  # the reported wording of an event's amount

# Wuhan, generously: a point outside this box is a typo or swapped lat/lon.
LAT_RANGE = (30.3, 30.8)
LON_RANGE = (114.0, 114.7)
ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]*$"
STORY_MAX_CHARS = 400  # a story point: a few lines on the overview (the longest shipped is 324)
MARKUP_PATTERN = r"<[A-Za-z/!?]"  # an HTML tag, comment or script: never in a story point


def _id(**kw) -> pa.Field:
    return pa.Field(str_matches=ID_PATTERN, **kw)


def _text(**kw) -> pa.Field:
    return pa.Field(str_length={"min_value": 1}, **kw)


def _optional(**kw) -> pa.Field:
    """A column a file may leave out (it is then read as empty)."""
    return pa.Field(required=False, **kw)


class _Base(pa.DataFrameModel):
    """The columns every table has: where each row comes from."""

    provenance: Series[str] = pa.Field(isin=PROVENANCES)
    source: Series[str] = _text()
    source_en: Series[str] = _optional()

    class Config:
        strict = False
        coerce = True


class _Located(_Base):
    """Tables whose rows may have a place on the map (WGS-84, inside Wuhan)."""

    lat: Series[float] = pa.Field(nullable=True)
    lon: Series[float] = pa.Field(nullable=True)

    # Named by the function too: pandera drops `name=` from a check that subclasses inherit.
    @pa.check("lat", "lon", name="out_of_wuhan")
    def out_of_wuhan(cls, value: Series[float]) -> Series[bool]:
        return value.between(*(LAT_RANGE if value.name == "lat" else LON_RANGE))


class Building(_Located):
    """`buildings.csv`: the towers of the belt where dual-carbon firms gather."""

    building_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    address_zh: Series[str] = pa.Field()
    address_en: Series[str] = _optional()
    role_zh: Series[str] = _optional()
    role_en: Series[str] = _optional()
    firms_count: Series[float] = _optional(ge=0, nullable=True)
    position_accuracy_m: Series[float] = _optional(ge=0, nullable=True)

    @pa.check("lat", "lon", name="required", ignore_na=False)
    def required(cls, value: Series[float]) -> Series[bool]:
        return value.notna()


class Project(_Located):
    """`projects.csv`: the signings, each at an event (`event_id`, events.csv) or none; an empty
    amount = undisclosed, never 0."""

    project_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    sector: Series[str] = pa.Field(isin=SECTORS)
    company: Series[str] = pa.Field()
    company_en: Series[str] = _optional()
    amount_cny_100m: Series[float] = pa.Field(ge=0, nullable=True)
    signed_on: Series[str] = pa.Field()
    event_id: Series[str] = _optional()  # the event it was signed at (events.csv), or empty
    building_id: Series[str] = pa.Field()
    status: Series[str] = pa.Field(isin=PROJECT_STATUSES)

    @pa.check("signed_on", name="bad_date")
    def bad_date(cls, value: Series[str]) -> Series[bool]:
        return value.map(real_date).astype(bool)


class Event(_Base):
    """`events.csv`: one row per investment event; an empty count or amount is unknown, never 0."""

    event_id: Series[str] = _id(unique=True)
    held_on: Series[str] = pa.Field()
    title_zh: Series[str] = _text()
    title_en: Series[str] = _text()
    place_zh: Series[str] = _text()
    place_en: Series[str] = _text()
    projects_signed: Series[float] = pa.Field(ge=0, nullable=True)
    amount_cny_100m: Series[float] = pa.Field(ge=0, nullable=True)
    amount_qualifier: Series[str] = pa.Field(isin=EVENT_QUALIFIERS)

    @pa.check("held_on", name="bad_date")
    def bad_date(cls, value: Series[str]) -> Series[bool]:
        return value.map(real_date).astype(bool)

    @pa.check("projects_signed", name="not_whole")
    def not_whole(cls, value: Series[float]) -> Series[bool]:
        return value.isna() | (value == value.round())


class FinanceProduct(_Base):
    """`finance_products.csv`: 碳指数, 碳回购, 碳质押贷款, 碳减排量抵扣贷款利息 …"""

    product_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    kind: Series[str] = pa.Field(isin=PRODUCT_KINDS)
    provider: Series[str] = pa.Field()
    provider_en: Series[str] = _optional()
    launched_on: Series[str] = pa.Field()
    scale_cny_100m: Series[float] = _optional(ge=0, nullable=True)
    description_zh: Series[str] = _optional()
    description_en: Series[str] = _optional()

    @pa.check("launched_on", name="bad_date")
    def bad_date(cls, value: Series[str]) -> Series[bool]:
        return (value.eq("") | value.map(real_date)).astype(bool)


class Institution(_Located):
    """`institutions.csv`: 中碳登, the exchange, the “双碳国家队”, banks and firms."""

    institution_id: Series[str] = _id(unique=True)
    name_zh: Series[str] = _text()
    name_en: Series[str] = _text()
    category: Series[str] = pa.Field(isin=INSTITUTION_CATEGORIES)
    sector: Series[str] = _optional(isin=("", *SECTORS))
    building_id: Series[str] = pa.Field()


class _Figure(_Base):
    """What a dated figure has (metrics and market rows): a value, its unit and its labels."""

    value: Series[float] = pa.Field()
    qualifier: Series[str] = _optional(isin=METRIC_QUALIFIERS)
    unit: Series[str] = pa.Field()
    label_zh: Series[str] = _text()
    label_en: Series[str] = _text()


class Metric(_Figure):
    """`metrics.csv`: headline figures, keyed on (`metric`, `as_of`)."""

    metric: Series[str] = _id()
    as_of: Series[str] = pa.Field()

    class Config:
        unique = ["metric", "as_of"]

    @pa.check("as_of", name="bad_date")
    def bad_date(cls, value: Series[str]) -> Series[bool]:
        return value.map(real_date).astype(bool)


class Market(_Figure):
    """`market.csv`: market and city context from other reports (the national carbon market by
    year, Wuhan's carbon industry, 碳汇大厦's firms over time), keyed on (`series`, `period`)."""

    series: Series[str] = _id()
    period: Series[str] = pa.Field()

    class Config:
        unique = ["series", "period"]

    @pa.check("period", name="bad_date")
    def bad_date(cls, value: Series[str]) -> Series[bool]:
        return value.map(real_date).astype(bool)


class StoryPoint(_Base):
    """`story.csv`: the overview's “为什么是沙湖 / Why Sha Lake” points in `order`, plain text or
    `**bold**`, each with its source."""

    point_id: Series[str] = _id(unique=True)
    order: Series[float] = pa.Field(ge=0)
    text_zh: Series[str] = _text()
    text_en: Series[str] = _text()

    @pa.check("text_zh", "text_en", name="too_long")
    def too_long(cls, value: Series[str]) -> Series[bool]:
        return value.str.len() <= STORY_MAX_CHARS

    @pa.check("text_zh", "text_en", name="markup")
    def markup(cls, value: Series[str]) -> Series[bool]:
        return ~value.str.contains(MARKUP_PATTERN, regex=True)


# Shared columns go after a table's own ones, as the files have always had them.
_SHARED_ORDER = (_Located.lat, _Located.lon, _Base.provenance, _Base.source, _Base.source_en)


@dataclass(frozen=True)
class TableSpec:
    """How one CSV maps onto its model; everything but the name is read from the model."""

    name: str
    model: type[pa.DataFrameModel]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @cached_property
    def _schema(self) -> pa.DataFrameSchema:
        return self.model.to_schema()

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The file's column order: a composite key first, the table's own, then shared ones."""
        names = list(self._schema.columns)
        first = list(self._schema.unique or ())
        own = [c for c in names if c not in _SHARED_ORDER and c not in first]
        return tuple(first + own + [c for c in _SHARED_ORDER if c in names])

    @cached_property
    def numeric(self) -> tuple[str, ...]:
        columns = self._schema.columns
        return tuple(c for c in self.columns if pd.api.types.is_float_dtype(str(columns[c].dtype)))

    @cached_property
    def optional(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if not self._schema.columns[c].required)

    @cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.optional)

    @cached_property
    def key(self) -> tuple[str, ...]:
        schema = self._schema
        if schema.unique:
            return tuple(schema.unique)
        return tuple(c for c in self.columns if schema.columns[c].unique)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("buildings", Building),
        TableSpec("events", Event),
        TableSpec("projects", Project),
        TableSpec("finance_products", FinanceProduct),
        TableSpec("institutions", Institution),
        TableSpec("metrics", Metric),
        TableSpec("market", Market),
        TableSpec("story", StoryPoint),
    )
}

"""Counts, sums and shares of projects, with undisclosed amounts kept apart (never counted as 0)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shahu.schemas import PROJECT_STATUSES, SECTORS, Project


@dataclass(frozen=True)
class Disclosure:
    """How much of a set of projects has a known amount."""

    projects: int
    disclosed: int
    total: float | None  # sum of disclosed amounts in 亿元; None when nothing is disclosed

    @property
    def undisclosed(self) -> int:
        return self.projects - self.disclosed


def disclosure(projects: pd.DataFrame) -> Disclosure:
    amounts = projects[Project.amount_cny_100m]
    known = int(amounts.notna().sum())
    return Disclosure(len(projects), known, float(amounts.sum()) if known else None)


def by_sector(projects: pd.DataFrame) -> pd.DataFrame:
    """One row per sector (all three, even if empty): projects, disclosed, total, shares."""
    rows = []
    for sector in SECTORS:
        d = disclosure(projects[projects[Project.sector] == sector])
        rows.append(
            {"sector": sector, "projects": d.projects, "disclosed": d.disclosed, "total": d.total}
        )
    frame = pd.DataFrame(rows)
    count = frame["projects"].sum()
    amount = frame["total"].fillna(0).sum()
    frame["project_share"] = frame["projects"] / count if count else 0.0
    frame["amount_share"] = frame["total"].fillna(0) / amount if amount else 0.0
    return frame


def by_status(projects: pd.DataFrame) -> dict[str, int]:
    counts = projects[Project.status].value_counts()
    return {status: int(counts.get(status, 0)) for status in PROJECT_STATUSES}


def by_provenance(projects: pd.DataFrame) -> dict[str, int]:
    return {k: int(v) for k, v in projects[Project.provenance].value_counts().items()}


def by_date(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects signed per date, with the disclosed amount signed that day."""
    grouped = projects.groupby(Project.signed_on)
    return pd.DataFrame(
        {
            "projects": grouped.size(),
            "total": grouped[Project.amount_cny_100m].sum(min_count=1),
        }
    ).reset_index()

"""The benchmark's synthetic data is valid data (no timings asserted here)."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarks.bench import generate, naive_map
from shahu.core.paths import DEFAULT_GEO_DIR
from shahu.data.dataset import load_dataset, load_tables
from shahu.data.schemas import TABLES


@pytest.mark.parametrize("scale", [1, 10])
def test_generated_data_validates_and_scales(tmp_path, scale):
    data = generate(scale, tmp_path / f"x{scale}")
    tables, problems, stale = load_tables(data)
    assert problems == [] and stale == ()
    assert len(tables["projects"]) == 23 * scale
    assert len(tables["buildings"]) == 6 * scale
    assert tables["projects"]["project_id"].is_unique
    assert len(tables["metrics"]) == len(pd.read_csv(data / TABLES["metrics"].filename))


def test_naive_map_has_one_marker_per_point(tmp_path):
    ds = load_dataset(generate(1, tmp_path / "x1"), DEFAULT_GEO_DIR)
    m = naive_map(ds)
    html = m.get_root().render()
    points = sum(ds[n]["lat"].notna().sum() for n in ("buildings", "projects", "institutions"))
    assert html.count("L.marker(") == points

"""Geometry of the belt: reading the GeoJSON layers, areas in metres, and WGS-84 → GCJ-02. Areas
are measured in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger, central meridian 114°E), conformal
and nearly distortion-free over Wuchang."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from shahu.data.files import read_regular
from shahu.data.schemas import LAT_RANGE, LON_RANGE

METRIC_CRS = "EPSG:4547"
LAYERS = {
    "belt": ("Polygon", "MultiPolygon"),
    "lake": ("Polygon", "MultiPolygon"),
    "roads": ("LineString", "MultiLineString"),
}
OPTIONAL_LAYERS = {"zones": ("Polygon", "MultiPolygon")}

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323


@dataclass(frozen=True)
class GeoProblem:
    """A geo file that cannot be used, with the code of the message that explains why."""

    file: str
    code: str


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) shifted onto the GCJ-02 grid that 高德 AMap tiles use (about 590 m in Wuhan)."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def shift_geometry(geom: BaseGeometry) -> BaseGeometry:
    """A geometry with every vertex moved WGS-84 → GCJ-02."""

    def shift(coords: np.ndarray) -> np.ndarray:
        return np.array([wgs84_to_gcj02(x, y) for x, y in coords], dtype=float).reshape(-1, 2)

    return shapely.transform(geom, shift)


def area_km2(frame: gpd.GeoDataFrame) -> float:
    """Total area in km², measured in EPSG:4547."""
    return float(frame.to_crs(METRIC_CRS).area.sum() / 1e6)


def read_layer(source: Path | bytes) -> gpd.GeoDataFrame:
    """A GeoJSON file (or its bytes) as a WGS-84 GeoDataFrame."""
    frame = gpd.read_file(io.BytesIO(source) if isinstance(source, bytes) else source)
    if frame.crs is None:
        frame = frame.set_crs(4326)
    return frame.to_crs(4326)


def load_layers(geo_dir: Path) -> tuple[dict[str, gpd.GeoDataFrame], list[GeoProblem]]:
    """Every layer that reads and passes its checks, plus a problem for each that does not."""
    layers: dict[str, gpd.GeoDataFrame] = {}
    problems: list[GeoProblem] = []
    for name, kinds in {**LAYERS, **OPTIONAL_LAYERS}.items():
        path = geo_dir / f"{name}.geojson"
        try:
            raw = read_regular(path)
        except FileNotFoundError:  # also a dangling link
            if name in LAYERS:
                problems.append(GeoProblem(path.name, "geo_missing"))
            continue
        except OSError:  # a folder or a FIFO of that name: never waited on
            problems.append(GeoProblem(path.name, "geo_unreadable"))
            continue
        try:
            json.loads(raw.decode("utf-8"))
            frame = read_layer(raw)
        except Exception:  # any parse failure means the same thing to staff
            problems.append(GeoProblem(path.name, "geo_unreadable"))
            continue
        code = _layer_problem(frame, kinds)
        if code:
            problems.append(GeoProblem(path.name, code))
        else:
            layers[name] = frame
    return layers, problems


def _layer_problem(frame: gpd.GeoDataFrame, kinds: tuple[str, ...]) -> str | None:
    if frame.empty:
        return "geo_empty"
    if not frame.geom_type.isin(kinds).all():
        return "geo_wrong_type"
    minx, miny, maxx, maxy = frame.total_bounds
    if minx < LON_RANGE[0] or maxx > LON_RANGE[1] or miny < LAT_RANGE[0] or maxy > LAT_RANGE[1]:
        return "geo_outside_wuhan"
    return None


def contains(frame: gpd.GeoDataFrame, lat: float, lon: float) -> bool:
    """Whether the point lies inside any polygon of `frame`."""
    return bool(frame.contains(shapely.Point(lon, lat)).any())

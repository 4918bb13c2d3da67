"""Offline web assets: copied from the XStatic packages, and the map's scripts joined in one file."""

from __future__ import annotations

import os
import shutil

import pytest

from shahu.map import assets


@pytest.fixture
def vendor(tmp_path, monkeypatch):
    """An empty static/vendor, so install() runs from scratch."""
    folder = tmp_path / "vendor"
    monkeypatch.setattr(assets, "VENDOR_DIR", folder)
    return folder


def test_install_copies_every_packaged_file_and_the_bundle(vendor):
    written = assets.install()
    assert assets.installed()
    assert {a.path for a in assets.PACKAGED} | {assets.MAP_JS.path} <= set(written)
    assert (vendor / "leaflet" / "images" / "layers.png").is_file()
    assert assets.install() == []  # idempotent: nothing rewritten the second time


def test_bundle_holds_leaflet_first_then_its_plugins(vendor):
    assets.install()
    bundle = assets.MAP_JS.path.read_text(encoding="utf-8")
    starts = [bundle.index(f"/* {a.relpath} */") for a in assets.bundled()]
    assert starts == sorted(starts) and starts[0] == 0
    assert [a.name for a in assets.bundled()][:3] == ["leaflet", "jquery", "markerclusterjs"]
    for asset in assets.bundled():
        assert asset.path.read_text(encoding="utf-8").strip() in bundle


def test_bundle_takes_in_the_fullscreen_plugin_once_it_arrives(vendor):
    assets.install()
    assert assets.FULLSCREEN_JS not in assets.bundled()
    assert "FullScreen" not in assets.MAP_JS.path.read_text(encoding="utf-8")
    target = assets.FULLSCREEN_JS.path
    target.parent.mkdir(parents=True)
    target.write_text("L.Control.FullScreen = L.Control.extend({});\n", encoding="utf-8")
    shutil.copyfile(assets.CLUSTER_CSS.path, assets.FULLSCREEN_CSS.path)
    assert assets.install() == [assets.MAP_JS.path]
    assert (
        assets.MAP_JS.path.read_text(encoding="utf-8")
        .rstrip()
        .endswith("L.Control.FullScreen = L.Control.extend({});\n;")
    )


def test_stylesheet_is_sent_as_a_style_tag_and_follows_edits(tmp_path):
    sheet = tmp_path / "app.css"
    sheet.write_text(".a { color: red; }", encoding="utf-8")
    style = assets.Stylesheet(sheet)
    assert style._repr_html_() == "<style>.a { color: red; }</style>"
    sheet.write_text(".a { color: blue; }", encoding="utf-8")  # same size, maybe same mtime tick
    os.utime(sheet, ns=(1, 1))
    assert style._repr_html_() == "<style>.a { color: blue; }</style>"

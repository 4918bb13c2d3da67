"""Offline web assets: copied from the XStatic packages, and the map's scripts (ours included)
joined in one file."""

from __future__ import annotations

import os
import shutil

import pytest

from shahu.content import markup
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
    bundle = assets.MAP_JS.path.read_text(encoding="utf-8")
    plugin = bundle.index("L.Control.FullScreen = L.Control.extend({});\n;")
    assert bundle.index("/* markercluster/") < plugin < bundle.index("/* map/")  # before ours


def test_bundle_ends_with_our_map_scripts_and_is_rebuilt_when_one_changes(vendor):
    assets.install()
    bundle = assets.MAP_JS.path.read_text(encoding="utf-8")
    ours = [bundle.index(f"/* {a.relpath} */") for a in assets.MAP_SCRIPTS]
    assert ours == sorted(ours) and ours[0] > bundle.index("/* markercluster/")
    assert all(a.path.parent == assets.MAP_DIR for a in assets.MAP_SCRIPTS)
    assets.MAP_JS.path.write_text(bundle.replace("shahuMap.frameView", "shahuMap.old"))
    assert not assets.installed()  # a bundle from before a script changed is not up to date
    assert assets.install() == [assets.MAP_JS.path] and assets.installed()


def test_stylesheet_is_sent_as_a_style_tag_and_follows_edits(tmp_path):
    sheet = tmp_path / "app.css"
    sheet.write_text(".a { color: red; }", encoding="utf-8")
    assert markup.stylesheet(sheet) == "<style>.a { color: red; }</style>"
    sheet.write_text(".a { color: blue; }", encoding="utf-8")  # same size, maybe same mtime tick
    os.utime(sheet, ns=(1, 1))
    assert markup.stylesheet(sheet) == "<style>.a { color: blue; }</style>"

/* Road names drawn along their roads, only where they fit.
 *
 * Each road has a few candidate spots (`label_at` in roads.geojson, best first). After every
 * move, zoom or resize the names are placed in priority order (中北路 first, then main,
 * secondary, local roads): a road takes its first spot whose name lies wholly inside the map
 * and clear of the controls, the building names and markers, clusters, the lake's name and
 * the names placed before it; a road with no such spot, or below its class's zoom, is unnamed.
 * The names live in the roads layer (`group`), so switching roads off hides them too.
 *
 * `roads`: [[name (escaped HTML), css class, min zoom, [[lat, lon, angle], …]], …], in order.
 */
(function (shahuMap) {
  shahuMap.roadLabels = function (map, group, roads) {
    var pane = map.getPane("shahuRoadLabels") || map.createPane("shahuRoadLabels");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    var items = roads.map(function (r) {
      return {min: r[2], spots: r[3].map(function (s) {
        var html = "<span style='transform: translate(-50%, -50%) rotate(" + s[2]
          + "deg)'>" + r[0] + "</span>";
        var marker = L.marker([s[0], s[1]], {pane: "shahuRoadLabels", interactive: false,
          keyboard: false, icon: L.divIcon({className: "shahu-road " + r[1], html: html,
          iconSize: [0, 0]})});
        marker.angle = s[2] * Math.PI / 180;
        group.addLayer(marker);
        return marker;
      })};
    });
    var hits = function (a, b) {  // 3 px of slack: a glyph box is wider than its ink
      return a.left + 3 < b.right && b.left + 3 < a.right && a.top + 3 < b.bottom
        && b.top + 3 < a.bottom;
    };
    var along = function (text, r, angle) {  // a slanted name as squares along its line
      var w = text.offsetWidth, h = text.offsetHeight, n = Math.max(1, Math.ceil(w / h));
      var cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2, cells = [];
      for (var i = 0; i < n; i++) {
        var d = (i + 0.5) * w / n - w / 2;
        var x = cx + d * Math.cos(angle), y = cy + d * Math.sin(angle);
        cells.push({left: x - h / 2, right: x + h / 2, top: y - h / 2, bottom: y + h / 2});
      }
      return cells;
    };
    var place = function () {  // every read before any write: one layout, not one a spot
      var box = map.getContainer().getBoundingClientRect(), zoom = map.getZoom();
      var spots = [], taken = [];
      items.forEach(function (item) {
        item.spots.forEach(function (marker) {
          var el = marker.getElement();
          if (el) { el.style.display = ""; spots.push(marker); }
        });
      });
      map.getContainer().querySelectorAll(".leaflet-control, .shahu-label, .shahu-water, "
          + ".shahu-cluster, .shahu-point").forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (r.width) { taken.push(r); }
      });
      spots.forEach(function (marker) {
        var text = marker.getElement().firstChild, r = text.getBoundingClientRect();
        marker.shahuInside = r.left >= box.left + 4 && r.right <= box.right - 4
          && r.top >= box.top + 4 && r.bottom <= box.bottom - 4;
        marker.shahuCells = along(text, r, marker.angle);
        marker.shahuShown = false;
      });
      items.forEach(function (item) {
        if (zoom < item.min) { return; }
        item.spots.some(function (marker) {
          if (!marker.getElement() || !marker.shahuInside || marker.shahuCells.some(
              function (c) { return taken.some(function (t) { return hits(c, t); }); })) {
            return false;
          }
          taken.push.apply(taken, marker.shahuCells);
          return (marker.shahuShown = true);
        });
      });
      spots.forEach(function (marker) {
        marker.getElement().style.display = marker.shahuShown ? "" : "none";
      });
    };
    var queued = false;
    var soon = function () {  // once per frame however many events ask (a load sends many)
      if (queued) { return; }
      queued = true;
      requestAnimationFrame(function () { queued = false; place(); });
    };
    map.on("zoomend moveend resize overlayadd", soon);
    map.eachLayer(function (layer) {  // clusters settle after a zoom's animation
      if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
        layer.on("animationend", soon);
      }
    });
    group.on("add", soon);
    soon();
  };
})((window.shahuMap = window.shahuMap || {}));

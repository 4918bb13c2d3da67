/* Point layers: many circle markers from one compact array, drawn by one short loop.
 *
 * Each row is [lat, lon, fill colour, tooltip HTML, popup HTML, style or null, tooltip
 * options]; both HTML strings are escaped in Python. `cluster` (or null) holds MarkerCluster's
 * options and what `clusterIcon` needs.
 */
(function (shahuMap) {
  shahuMap.pointLayer = function (rows, style, tip, cluster) {
    var group = cluster
      ? L.markerClusterGroup(Object.assign(cluster.options, {iconCreateFunction:
          shahuMap.clusterIcon(cluster.side, cluster.sampleLabel, cluster.sampleColor)}))
      : L.featureGroup();
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var marker = L.circleMarker([r[0], r[1]],
        Object.assign({}, style, {fillColor: r[2]}, r[5] || {}));
      marker.bindTooltip(r[3], r[6] ? Object.assign({}, tip, r[6]) : tip);
      marker.bindPopup(r[4], {maxWidth: 300});
      group.addLayer(marker);
    }
    return group;
  };

  /* A cluster: a ring around the spot and its count in a badge above it, clear of a building
   * marker (radius 9-12 px) drawn at the same spot above it and of names beside or below it.
   * `side` ("left" for projects, "right" for institutions) keeps two layers' badges at one
   * building apart. A click zooms in (MarkerCluster's default), or spreads the points out at
   * the deepest zoom.
   *
   * A cluster holding sample rows (drawn in `sampleColor`) is marked `sample`: a dashed ring
   * and a grey hatched badge, and `sampleLabel` (escaped HTML, `{n}` and `{samples}` filled in
   * here) as its accessible name and hover text, so a grouped sample never passes for a fact. */
  shahuMap.clusterIcon = function (side, sampleLabel, sampleColor) {
    return function (c) {
      var all = c.getAllChildMarkers(), s = 0, n = c.getChildCount();
      for (var i = 0; i < all.length; i++) {
        if (all[i].options.fillColor === sampleColor) { s++; }
      }
      var name = s ? sampleLabel.replace('{n}', n).replace('{samples}', s) : '';
      var aria = s ? " role='img' aria-label='" + name + "' title='" + name + "'" : '';
      return L.divIcon({className: 'shahu-cluster ' + side + (s ? ' sample' : ''),
        iconSize: L.point(44, 44),
        html: "<div class='ring'></div><span class='count'" + aria + '>' + n + '</span>'});
    };
  };
})((window.shahuMap = window.shahuMap || {}));

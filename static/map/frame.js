/* Frame the belt, at once and again whenever the map's box changes size.
 *
 * No zoom animation on load (a visitor would see the map shrink into place, and a screenshot
 * could catch it half-way). Streamlit sizes the component's iframe after Leaflet has started,
 * and fullscreen changes it too: each time, the map is told its new size (without that the
 * vector layers stay clipped to the first size) and, until the visitor has moved or zoomed it,
 * framed again for that size. The right margin fits the names of the framed buildings (up to
 * 40 % of the map's width); the left one clears the legend when that costs no zoom. Names and
 * legend are measured in both languages (the other one in a hidden probe), so the Chinese and
 * the English map open at the same zoom.
 *
 * `bounds`: [[south, west], [north, east]]. `options`: fitBounds' options, and `twinLabels`
 * ("lat,lon" of a building → its label in the other language), `twinLegend` (the legend's HTML
 * in the other language), `presentLegendMinHeight`; every HTML string is escaped in Python.
 */
(function (shahuMap) {
  shahuMap.frameView = function (map, bounds, options) {
    var touched = false;
    var box = L.latLngBounds(bounds), tl = options.paddingTopLeft;
    var br = options.paddingBottomRight;
    var beyondEast = function () {  // px the framed buildings' names need past the east edge
      var east = map.latLngToContainerPoint(box.getNorthEast()).x;
      var left = map.getContainer().getBoundingClientRect().left, need = 0, labels = [];
      var corner = map.getContainer().querySelector(".leaflet-top.leaflet-right");
      map.eachLayer(function (layer) {  // writes first: each name's twin laid beside it
        var tip = layer.getTooltip && layer.getTooltip();
        if (!tip || !tip.isOpen() || !tip.getElement().classList.contains("shahu-label")
            || !box.contains(layer.getLatLng())) { return; }
        var at = layer.getLatLng(), twin = options.twinLabels[
          at.lat.toFixed(6) + "," + at.lng.toFixed(6)];
        labels.push([tip.getElement(), twin ? ghost(tip.getElement(), twin) : null]);
      });
      var controls = corner && corner.getBoundingClientRect();  // then every read, in
      labels.forEach(function (pair) {  // one layout (not one per name: 600 at 100×)
        var label = pair[0].getBoundingClientRect();
        var width = Math.max(label.width, pair[1] ? pair[1].getBoundingClientRect().width : 0);
        var under = controls && controls.height && label.top < controls.bottom;
        need = Math.max(need, label.left + width - left - east + (under ? controls.width : 0));
      });
      labels.forEach(function (pair) { if (pair[1]) { pair[1].remove(); } });
      return need;
    };
    var ghost = function (like, content) {  // the HTML `content` styled as `like`, unseen
      var twin = like.cloneNode(false);
      twin.style.cssText = "position:absolute;visibility:hidden;left:0;top:0;transform:none";
      twin.innerHTML = content;  // escaped in Python, like every label and the legend
      like.parentNode.appendChild(twin);
      return twin;
    };
    var probe = function (like, content) {  // width of the HTML `content` styled as `like`
      var twin = ghost(like, content), width = twin.getBoundingClientRect().width;
      twin.remove();
      return width;
    };
    var fit = function (opts) {  // fitBounds, unless that is already the view: a reset
      var to = map._getBoundsCenterZoom(box, opts);  // moves every name (600 at 100×)
      if (map._loaded && to.zoom === map.getZoom() && map.getCenter().equals(to.center)) {
        return;
      }
      map.fitBounds(box, opts);
    };
    var zoomFor = function (left, right) {
      return map.getBoundsZoom(box, false, L.point(left + right, tl[1] + br[1]));
    };
    var framedFor = null;  // the container's size the last framing was made for
    var boxSize = function () {  // the container's size now (getSize() is cached)
      var el = map.getContainer();
      return el.clientWidth + "x" + el.clientHeight;
    };
    var frame = function () {
      var size = map.getSize();
      if (size.x < 100 || size.y < 100) { return; }  // not laid out yet: the observer calls again
      framedFor = boxSize();
      fit(options);
      map.eachLayer(function (layer) {  // names left of or below a marker are placed by
        var tip = layer.getTooltip && layer.getTooltip();  // their size: measure again
        if (!tip || !tip.isOpen()) { return; }
        if (tip.shahuSide) {  // flipped last time: try its own side again
          tip.options.direction = tip.shahuSide[0];
          tip.options.offset = tip.shahuSide[1];
          delete tip.shahuSide;
        } else if (tip.options.direction === "right") {
          return;  // a name right of its marker does not move with its width
        }
        tip.update();
      });
      var right = Math.min(Math.max(br[0], beyondEast() + 8), 0.4 * size.x);
      var left = tl[0], legend = map.getContainer().querySelector(".shahu-legend");
      if (legend && map.getContainer().classList.contains("shahu-present")
          && !legend.querySelector(".samples")) {  // samples are always said on the map
        legend.open = size.y >= options.presentLegendMinHeight;  // short projector: folded
      }
      var wide = legend && Math.max(legend.offsetWidth,
                                    probe(legend, options.twinLegend || ""));
      if (legend && wide < 0.4 * size.x && zoomFor(wide + 20, right) >= zoomFor(left, right)) {
        left = wide + 20;  // clear of the legend (in either language) when that costs no zoom
      }
      if (left !== tl[0] || right !== br[0]) {
        fit(Object.assign({}, options,
          {paddingTopLeft: [left, tl[1]], paddingBottomRight: [right, br[1]]}));
      }
      flip();
    };
    var flip = function () {  // a name still cut at the east edge or under a control
      var edge = map.getContainer().getBoundingClientRect();  // goes left of its marker
      var controls = [];
      map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
        controls.push(el.getBoundingClientRect());
      });
      var hits = function (a, b) {
        return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      };
      var cut = [];  // every name measured first (one layout), then the few cut moved
      map.eachLayer(function (layer) {
        var tip = layer.getTooltip && layer.getTooltip();
        if (!tip || !tip.isOpen() || tip.options.direction !== "right"
            || !tip.getElement().classList.contains("shahu-label")) { return; }
        var r = tip.getElement().getBoundingClientRect();
        if (r.right > edge.right || controls.some(function (c) { return hits(r, c); })) {
          cut.push(tip);
        }
      });
      cut.forEach(function (tip) {
        tip.shahuSide = [tip.options.direction, tip.options.offset];
        tip.options.direction = "left";
        tip.options.offset = [-6, 0];
        tip.update();
      });
    };
    ["pointerdown", "wheel", "keydown"].forEach(function (type) {
      map.getContainer().addEventListener(type, function () { touched = true; });
    });
    frame();
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
      if (!link.sheet) {  // labels and legend are measured again once their styles apply
        link.addEventListener("load", function () { if (!touched) { frame(); } });
      }
    });
    if (!window.ResizeObserver) { return; }
    var known = map.getSize().x + "x" + map.getSize().y;  // the size Leaflet works with
    new ResizeObserver(function () {
      var now = boxSize();
      if (now === known) { return; }  // e.g. the observer's own first call
      known = now;
      map.invalidateSize({animate: false});
      if (!touched && now !== framedFor) { frame(); }
    }).observe(map.getContainer());
  };
})((window.shahuMap = window.shahuMap || {}));

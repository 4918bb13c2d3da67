/* Map markers a screen reader can name and a keyboard can reach (WCAG 2.1.1, 4.1.2).
 *
 * Leaflet draws circle markers as bare SVG paths: no name, no focus. This gives every marker that
 * has a tooltip the tooltip's text as its accessible name, makes it a focusable button, and lets
 * Enter or Space do what a click does (open its popup; a building also opens its card, since
 * streamlit-folium listens for the click). Markers added later (clusters opening, zooming) get the
 * same through the map's `layeradd` event.
 */
(function (shahuMap) {
  shahuMap.markerNames = function (map) {
    function text(layer) {
      var tip = layer.getTooltip && layer.getTooltip();
      var content = tip && tip.getContent();
      if (typeof content !== "string") { return content ? content.textContent : ""; }
      // the tooltip is escaped HTML: parse it inertly (no scripts, no images) for its text
      return new DOMParser().parseFromString(content, "text/html").body.textContent.trim();
    }
    function name(layer) {
      var el = layer.getElement && layer.getElement();
      var label = el && !el.hasAttribute("aria-label") && text(layer);
      if (!label) { return; }
      el.setAttribute("aria-label", label);
      el.setAttribute("role", "button");
      el.setAttribute("tabindex", "0");
      el.addEventListener("keydown", function (e) {
        if (e.key !== "Enter" && e.key !== " ") { return; }
        e.preventDefault();
        layer.fire("click", {latlng: layer.getLatLng(), originalEvent: e});
        if (layer.openPopup) { layer.openPopup(); }
      });
    }
    map.on("layeradd", function (e) { name(e.layer); });
    map.eachLayer(name);
  };
})((window.shahuMap = window.shahuMap || {}));

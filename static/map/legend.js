/* The legend control: a `<details>` whose summary is its title, so it can be folded away (the
 * framing folds it on a short projector). `html` is escaped in Python. */
(function (shahuMap) {
  shahuMap.legend = function (map, html) {
    var legend = L.control({position: "bottomleft"});
    legend.onAdd = function() {
      var div = L.DomUtil.create("details", "shahu-legend");
      div.open = true;
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);  // opening it is no click on the map
      return div;
    };
    legend.addTo(map);
  };
})((window.shahuMap = window.shahuMap || {}));

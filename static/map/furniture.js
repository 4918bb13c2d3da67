/* A metric scale bar, the attribution without Leaflet's flag prefix and with the OpenStreetMap
 * credit our own layers owe (ODbL), and, for a projector, larger labels (`shahu-present`). */
(function (shahuMap) {
  shahuMap.furniture = function (map, options) {
    L.control.scale({imperial: false, position: "bottomright"}).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution(options.credit);
    if (options.present) { map.getContainer().classList.add("shahu-present"); }
  };
})((window.shahuMap = window.shahuMap || {}));

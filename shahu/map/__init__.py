"""The folium map: base maps, the vector base, point rows, its elements (their scripts in
static/map) and the offline file."""

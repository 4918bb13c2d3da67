"""The folium map: its elements, rows and popups, and the offline web-asset bundle."""

"""What the pages show, worked out from the data: views, tables, charts, cards, downloads."""

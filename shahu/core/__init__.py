"""The small core: i18n, formatting, labels, colours, paths and the page list."""

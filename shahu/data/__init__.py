"""The data: schemas, validation, reading files, the dataset, filters, figures, and replacing a
table (upload, change_plan, store, published, history, templates)."""

"""The data: schemas, validation, reading files, the dataset, filters, figures, the importer."""

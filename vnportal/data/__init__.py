"""Open data: datasets in data/<id>/, their exports, the DCAT-AP catalog and the data pages."""

"""The dataset on disk: where it lives, reading and validating its files, the caches, and
the two views queries use (the typed Catalog and the JSON-ready, cached Snapshot)."""

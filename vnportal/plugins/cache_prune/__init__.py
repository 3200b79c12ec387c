"""MkDocs plugin ``vnportal/cache_prune``."""

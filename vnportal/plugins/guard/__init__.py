"""MkDocs plugin ``vnportal/guard``."""

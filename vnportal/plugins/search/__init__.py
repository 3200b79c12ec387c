"""MkDocs plugin ``vnportal/search``."""

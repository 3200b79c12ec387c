"""MkDocs plugin ``vnportal/data``."""

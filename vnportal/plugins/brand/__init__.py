"""MkDocs plugin ``vnportal/brand``."""

"""MkDocs plugin ``vnportal/checks``."""

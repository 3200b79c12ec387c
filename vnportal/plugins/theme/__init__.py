"""MkDocs plugin ``vnportal/theme``."""

"""MkDocs plugin ``vnportal/media``."""

"""MkDocs plugin ``vnportal/status``."""

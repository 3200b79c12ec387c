"""MkDocs plugin ``vnportal/not_found``."""

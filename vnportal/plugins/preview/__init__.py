"""MkDocs plugin ``vnportal/preview``."""

"""MkDocs plugin ``vnportal/fonts``."""

"""MkDocs plugin ``vnportal/serving``."""

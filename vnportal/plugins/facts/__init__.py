"""MkDocs plugin ``vnportal/facts``."""

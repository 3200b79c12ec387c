"""MkDocs plugin ``vnportal/safety``."""

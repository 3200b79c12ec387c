"""MkDocs plugin ``vnportal/navigation``."""

"""MkDocs plugin ``vnportal/news``."""

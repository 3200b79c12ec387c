"""MkDocs plugin ``vnportal/typography``."""

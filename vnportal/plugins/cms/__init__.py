"""MkDocs plugin ``vnportal/cms``."""

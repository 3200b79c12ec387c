"""MkDocs plugin ``vnportal/strings``."""

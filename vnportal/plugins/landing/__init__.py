"""MkDocs plugin ``vnportal/landing``."""

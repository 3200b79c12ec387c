"""MkDocs plugin ``vnportal/parallel``."""

"""MkDocs plugin ``vnportal/render_cache``."""

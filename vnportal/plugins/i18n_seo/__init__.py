"""MkDocs plugin ``vnportal/i18n_seo``."""

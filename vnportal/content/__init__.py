"""The content model: front matter, the text and HTML policy, links, the docs tree, translations, ``make check``."""

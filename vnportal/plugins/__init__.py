"""The MkDocs plugins, a package each (``config.py``, ``plugin.py``, helpers); entry points in pyproject.toml."""

"""The command line (``python -m vnportal``) and what only it uses."""

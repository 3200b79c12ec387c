"""Viet Nam national-image portal: MkDocs plugin, content model and build tooling."""

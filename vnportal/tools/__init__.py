"""Tools apart from the build: benchmark, Lighthouse audit, nginx rendering, screenshots."""

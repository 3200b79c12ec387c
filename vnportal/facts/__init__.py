"""The facts register: every figure the portal states, from one source, formatted per language."""

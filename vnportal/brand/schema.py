"""The JSON Schemas of the brand sources: the token file (``assets/brand/tokens.yml``) and the kit's texts
(``assets/brand/kit.yml``).

Every value the theme, the icons, the kit and the /brand/ page are made from has a type and a shape here;
a family name or a colour that could break out of the CSS it is written into is refused at the source.
That each text exists in every language of the site is checked after the schema, by code: the languages
come from mkdocs.yml.
"""

from __future__ import annotations

from typing import Any

SCHEMES = ("light", "dark")
COLOR_ROLES = (
    "primary",
    "on-primary",
    "secondary",
    "on-secondary",
    "accent",
    "accent-text",
    "link",
    "surface",
    "surface-alt",
    "text",
    "text-muted",
    "neutral-100",
    "neutral-300",
    "neutral-600",
    "neutral-900",
)
LOGO_KINDS = ("mark", "horizontal", "stacked")
FONT_STYLES = ("normal", "italic")
#: The weights every page and template uses.
WEIGHTS = ("regular", "semibold", "bold")
TYPOGRAPHY = ("families", "weights", "scale", "specimen")
#: Lengths of the co-branding lockup (fractions of the mark's height) and an example of each.
COBRAND_NUMBERS = {
    ("gap",): 0.25,
    ("divider", "width"): 0.015,
    ("partner", "max_width"): 3.0,
    ("partner", "min_height"): 0.5,
}

HEX = {"type": "string", "pattern": r"^#[0-9A-Fa-f]{6}$"}
#: Written into CSS between double quotes: letters, digits and spaces only.
FAMILY_NAME = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9 ]{0,62}$"}
NPM_NAME = {"type": "string", "pattern": r"^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$"}
#: A file or folder under the brand folder's fonts/ (no ``..``, no hidden names).
FONT_PATH = {"type": "string", "pattern": r"^fonts(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$", "maxLength": 200}
WEIGHT = {"type": "integer", "minimum": 100, "maximum": 900, "multipleOf": 100}
LENGTH = {"type": "number", "exclusiveMinimum": 0, "maximum": 10}
KEY = {"type": "string", "pattern": r"^[a-z][a-z0-9_-]{0,30}$"}
#: A text in each language of the site: which languages is checked after the schema (mkdocs.yml's list).
TEXTS = {"title": "One text per language of the site"}
RULES = {"type": "array", "minItems": 1, "items": TEXTS}


def _lengths(*prefix: str) -> dict[str, Any]:
    """The co-branding lengths under ``prefix`` (required, each a positive fraction)."""
    keys = [path[len(prefix)] for path in COBRAND_NUMBERS if path[: len(prefix)] == prefix]
    return {key: LENGTH for key in keys}


TOKENS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Brand tokens (assets/brand/tokens.yml)",
    "type": "object",
    "required": ["colors", "usage", "typography", "cobranding", "logo"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "name": {
            "type": "object",
            "title": "The identity's name per language",
            "additionalProperties": {"type": "string"},
        },
        "colors": {
            "type": "object",
            "required": list(SCHEMES),
            "additionalProperties": False,
            "properties": {
                scheme: {
                    "type": "object",
                    "required": list(COLOR_ROLES),
                    "additionalProperties": False,
                    "properties": dict.fromkeys(COLOR_ROLES, HEX),
                }
                for scheme in SCHEMES
            },
        },
        "color_names": {
            "type": "object",
            "title": "Each colour role's name per language",
            "propertyNames": {"enum": list(COLOR_ROLES)},
            "additionalProperties": TEXTS,
        },
        "typography": {
            "type": "object",
            "required": list(TYPOGRAPHY),
            "additionalProperties": False,
            "properties": {
                "families": {
                    "type": "object",
                    "required": ["text", "cjk"],
                    "propertyNames": KEY,
                    "additionalProperties": {
                        "type": "object",
                        "required": ["name", "desktop"],
                        "additionalProperties": False,
                        "properties": {
                            "name": FAMILY_NAME,
                            "files": FONT_PATH,
                            "licence": FONT_PATH,
                            "system": {"type": "array", "items": FAMILY_NAME, "maxItems": 10},
                            "desktop": {
                                "type": "object",
                                "title": "The installable fonts the kit ships: a package pinned in package-lock.json",
                                "required": ["package", "weights", "styles"],
                                "additionalProperties": False,
                                "properties": {
                                    "package": NPM_NAME,
                                    "weights": {"type": "array", "items": WEIGHT, "minItems": 1},
                                    "styles": {"type": "array", "items": {"enum": list(FONT_STYLES)}, "minItems": 1},
                                },
                            },
                        },
                    },
                },
                "weights": {
                    "type": "object",
                    "required": list(WEIGHTS),
                    "propertyNames": KEY,
                    "additionalProperties": WEIGHT,
                },
                "scale": {
                    "type": "object",
                    "title": "Type scale in rem",
                    "propertyNames": KEY,
                    "additionalProperties": {"type": "number", "minimum": 0.1, "maximum": 10},
                },
                "specimen": {"type": "object", **TEXTS},
            },
        },
        "logo": {
            "type": "object",
            "required": ["clear_space", "min_size"],
            "additionalProperties": False,
            "properties": {
                "clear_space": {"type": "number", "minimum": 0, "maximum": 10},
                "min_size": {
                    "type": "object",
                    "required": list(LOGO_KINDS),
                    "additionalProperties": False,
                    "properties": {
                        kind: {
                            "type": "object",
                            "required": ["px", "mm"],
                            "additionalProperties": False,
                            "properties": {
                                "px": {"type": "integer", "minimum": 1},
                                "mm": {"type": "number", "exclusiveMinimum": 0},
                            },
                        }
                        for kind in LOGO_KINDS
                    },
                },
            },
        },
        "cobranding": {
            "type": "object",
            "required": ["gap", "divider", "partner", "rules"],
            "additionalProperties": False,
            "properties": {
                **_lengths(),
                "divider": {
                    "type": "object",
                    "required": ["width", "colour"],
                    "additionalProperties": False,
                    "properties": {**_lengths("divider"), "colour": {"enum": list(COLOR_ROLES)}},
                },
                "partner": {
                    "type": "object",
                    "required": ["max_width", "min_height"],
                    "additionalProperties": False,
                    "properties": _lengths("partner"),
                },
                "rules": RULES,
            },
        },
        "usage": {
            "type": "object",
            "required": ["do", "dont"],
            "additionalProperties": False,
            "properties": {"do": RULES, "dont": RULES},
        },
    },
}


def kit_schema(required: tuple[str, ...]) -> dict[str, Any]:
    """The kit's texts: every dotted path of ``required`` is a group of texts, one per language (a list of
    texts per language where the path ends with ``[]``)."""
    tree: dict[str, Any] = {}
    for dotted in required:
        node = tree
        for key in dotted.removesuffix("[]").split("."):
            node = node.setdefault(key, {})

    def schema(children: dict[str, Any]) -> dict[str, Any]:
        if not children:
            return {"type": "object", **TEXTS}
        return {
            "type": "object",
            "required": list(children),
            "properties": {key: schema(grandchildren) for key, grandchildren in children.items()},
        }

    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Brand kit texts (assets/brand/kit.yml)",
            **schema(tree)}  # fmt: skip

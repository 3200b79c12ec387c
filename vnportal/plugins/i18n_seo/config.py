"""Options of ``vnportal/i18n_seo`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ContactConfig(Config):
    """The portal's official contact details: set only what the responsible agency has confirmed (make check
    lists what is unset; the contact page shows only what is set)."""

    organisation = c.Optional(c.Type(str))
    address = c.Optional(c.Type(str))
    email = c.Optional(c.Type(str))
    phone = c.Optional(c.Type(str))
    press_email = c.Optional(c.Type(str))
    press_phone = c.Optional(c.Type(str))
    form_url = c.Optional(c.Type(str))


class PortalConfig(Config):
    """Options of the ``vnportal/i18n_seo`` plugin."""

    contact = c.SubConfig(ContactConfig)
    #: What the project's own accessibility audit found (written by make audit), for the statement page.
    audit_file = c.Type(str, default="data/accessibility.json")

"""What the portal tells editors, in their language: ``PORTAL_LANG=vi`` (the default) or ``PORTAL_LANG=en``.

Messages are written in English in the code, as ``tr("link to {address}: …", address=…)``, and translated
with gettext: the Vietnamese is in ``vnportal/locale/vi/LC_MESSAGES/messages.po``, read with Babel when the
first message is needed (no compiled file to keep in step). ``make messages`` extracts the messages from the
code into that file; the tests check that every one has a Vietnamese text with the same ``{fields}``.
Every message is a ``str.format`` template: a literal brace is written ``{{`` or ``}}``.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from vnportal.core.cache import file_stamp

#: The languages of the messages; the first is the default (the editors' language).
LANGUAGES = ("vi", "en")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"


def language() -> str:
    """The language of the messages: ``PORTAL_LANG`` when it names one of LANGUAGES, else Vietnamese."""
    wanted = os.environ.get("PORTAL_LANG", "").strip().lower().replace("_", "-").split("-")[0]
    return wanted if wanted in LANGUAGES else LANGUAGES[0]


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(lang: str) -> gettext.NullTranslations:
    """The translations of one language (English is the text in the code), read again when the catalog changes."""
    path = catalog_path(lang)
    if lang == "en" or not path.is_file():
        return gettext.NullTranslations()
    return _compiled(lang, *file_stamp(path))


@lru_cache(maxsize=4)
def _compiled(lang: str, mtime_ns: int, size: int) -> gettext.NullTranslations:
    path = catalog_path(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy or empty entries are left out: those messages stay in English
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def tr(message: str, /, **fields: object) -> str:
    """``message`` in the editor's language, with its ``{fields}`` filled in."""
    return translations(language()).gettext(message).format(**fields)


def N_(message: str, /) -> str:
    """Mark a message for the catalog where it is defined; ``tr`` translates it where it is used."""
    return message


def every_language(message: str, /, **fields: object) -> list[str]:
    """The message in each language (to recognise text that the portal itself wrote, whatever the language)."""
    return [translations(lang).gettext(message).format(**fields) for lang in LANGUAGES]

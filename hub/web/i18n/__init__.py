"""The pages' gettext catalogues in Russian, Kazakh and English (hub/web/locale, compiled by scripts/i18n).

Message ids are the English text; the English catalogue exists all the same, for its
plural forms and so that a missing translation is a missing entry, not a silent fallback.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from babel.support import NullTranslations, Translations

LANGUAGES = ("ru", "kk", "en")
DEFAULT = "ru"
DOMAIN = "messages"


class CataloguesNotCompiled(RuntimeError):
    """The .mo files are built from the .po files (scripts/i18n compile, run by scripts/setup and the image)."""


@cache
def translations(language: str) -> NullTranslations:
    code = language if language in LANGUAGES else DEFAULT
    directory = resources.files("hub.web").joinpath("locale")
    if not directory.joinpath(code, "LC_MESSAGES", f"{DOMAIN}.mo").is_file():
        raise CataloguesNotCompiled(f"no compiled catalogue for {code}: run scripts/i18n compile")
    return Translations.load(str(directory), [code], domain=DOMAIN)

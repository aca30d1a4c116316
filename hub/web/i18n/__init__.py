"""Message catalogues of the web page, in Russian, Kazakh and English."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

LANGUAGES = ("ru", "kk", "en")
DEFAULT = "ru"


@cache
def catalogue(language: str) -> dict[str, str]:
    text = resources.files("hub.web.i18n").joinpath(f"{language}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def translator(language: str):  # noqa: ANN201 - a callable for the templates
    messages = catalogue(language if language in LANGUAGES else DEFAULT)

    def t(key: str, **values: str) -> str:
        return messages[key].format(**values) if values else messages[key]

    return t

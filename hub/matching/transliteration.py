"""One spelling for a name however it was transliterated: Kazakh and Russian Cyrillic, and their Latin forms.

A referrer writes what they heard or read: Айдос, Aidos or Aydos; Жанар, Zhanar
or Janar; Қайрат, Kairat or Qairat. :func:`name_key` maps every such spelling of
one name to one key, in two steps:

1. Cyrillic (Russian, Kazakh Ә Ғ Қ Ң Ө Ұ Ү Һ І, Uzbek Ў Ҳ) to a plain Latin
   transliteration, and the letters of the Kazakh, Uzbek and Turkish-style
   Latin alphabets (ä ğ ı ñ ö ş ç ū ü, o‘ g‘) to the same plain letters;
2. the plain Latin folded to a sound key: the pairs that stand for one sound
   become one symbol (zh j dzh dj -> J; ch -> C; sh shch -> S; gh -> g;
   ph -> f; kh x h -> H; ts -> c; q -> k; w -> v; ou -> u), y becomes i, a
   leading or post-vocalic i before a vowel is dropped (Yerlan = Erlan, Yulia =
   Ulia), and doubled letters are written once.

The key is for comparing names, never for showing them.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Kazakh
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Uzbek
    "ў": "o", "ҳ": "h",
}
# Latin letters whose accent changes the sound (ş is sh, not s); other accents are simply dropped.
_LATIN = {"ş": "sh", "ç": "ch", "ğ": "g", "ı": "i", "ə": "a", "ñ": "n", "ū": "u"}

_FOLDS = [(re.compile(pattern), symbol) for pattern, symbol in [  # compiled once: every name of every child goes through
    (r"shch|sch", "S"),
    (r"dzh|dj|zh|j", "J"),
    (r"tch|ch", "C"),
    (r"sh", "S"),
    (r"gh", "g"),
    (r"ph", "f"),
    (r"kh|x|h", "H"),
    (r"ts|tz", "c"),
    (r"ck|q", "k"),
    (r"w", "v"),
    (r"ou", "u"),
    (r"y", "i"),
]]
_SEPARATORS = re.compile(r"[-\s]+")
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_DOUBLED = re.compile(r"(.)\1+")
_IOTATED = re.compile(r"(^|[aeiou])i(?=[aeou])")


def latin(text: str) -> str:
    """Lower-case plain Latin letters (and spaces) for a name in any of the scripts above."""
    mapped = "".join(_CYRILLIC.get(char, _LATIN.get(char, char)) for char in text.lower())
    decomposed = unicodedata.normalize("NFKD", mapped)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_LETTERS.sub("", _SEPARATORS.sub(" ", plain)).strip()


def sound_key(word: str) -> str:
    """The sound key of one plain-Latin word (see the module docstring)."""
    key = word
    for pattern, symbol in _FOLDS:
        key = pattern.sub(symbol, key)
    key = _DOUBLED.sub(r"\1", key)
    key = _IOTATED.sub(r"\1", key)
    return _DOUBLED.sub(r"\1", key)


def name_key(word: str) -> str:
    """The sound key of a name written in any script: name_key("Айдос") == name_key("Aydos")."""
    return "".join(sound_key(part) for part in latin(word).split())


def words(text: str) -> list[str]:
    """The sound keys of each word of a name that may have several (an alias, "Ерлан ұлы")."""
    return [sound_key(part) for part in latin(text).split() if part]

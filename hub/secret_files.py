"""Settings whose values are secrets are read from files: ``HUB_X_FILE=/run/secrets/x`` sets ``HUB_X``.

A deployment gives each process only the secrets it needs, as files (Docker and Kubernetes secrets),
instead of environment variables that every process, ``docker inspect`` and a crash report can show.
Read once when a ``hub`` command starts, before anything reads its settings.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

SUFFIX = "_FILE"
PREFIX = "HUB_"
# Files the hub opens itself, to check where they are kept (the checkpoint key must not lie with the data).
OPENED_BY_THE_HUB = frozenset({"HUB_CHECKPOINT_KEY_FILE"})


def read_secret_files(environ: MutableMapping[str, str]) -> None:
    """Sets each ``HUB_X`` named by a ``HUB_X_FILE`` from that file; both at once is a mistake, and said."""
    for name in [n for n in environ if n.startswith(PREFIX) and n.endswith(SUFFIX) and n not in OPENED_BY_THE_HUB]:
        setting = name.removesuffix(SUFFIX)
        if environ.get(setting):
            raise ValueError(f"set {setting} or {name}, not both")
        path = Path(environ[name])
        try:
            value = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"{name}: cannot read {path}: {error.strerror}") from None
        # A file written by an editor or `echo` ends with a newline that is not part of the secret.
        environ[setting] = value.removesuffix("\n").removesuffix("\r")

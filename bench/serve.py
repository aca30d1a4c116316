"""The API as deployed (``hub serve``: uvicorn, FastAPI's thread pool for the sync routes), in a
process of its own so that the benchmark's clients do not share its interpreter.

    HUB_DATABASE_URL=... HUB_MASTER_KEY=... HUB_CHECKPOINT_KEY=... python -m bench.serve

Prints ``ready <url>`` once it accepts requests on a free loopback port; stops when stdin closes.
"""

from __future__ import annotations

import sys

from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.bootstrap import bootstrap


def main() -> None:
    hub = bootstrap()
    hub.views.catch_up()  # the first request must not pay for projecting what the store holds already
    with serving_in_background(create_app(hub)) as url:
        print(f"ready {url}", flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin
    hub.close()


if __name__ == "__main__":
    main()

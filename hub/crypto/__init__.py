"""Personal data encrypted at rest with one data key per child (docs/decisions/0008).

- :mod:`hub.crypto.master_key`: the key that wraps the children's keys;
- :mod:`hub.crypto.keys`: the children's keys and which aggregate is whose;
- :mod:`hub.crypto.mapper`: which attributes of an event are sealed, and how;
- :mod:`hub.crypto.application`: how the application is wired to them.
"""

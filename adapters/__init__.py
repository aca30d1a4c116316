"""Adapters: each agency's own messages, translated into hub commands.

One package per kind of sender (police, guardianship, schools, health, ngo,
ombudsman), each with its native pydantic messages (``messages.py``), a pure
``translate(message) -> Translation`` (``translate.py``), sample messages
(``samples/``) and a README saying what the agency sends, when, under which
rule, and what it becomes in the hub. ``registry.ADAPTERS`` lists them;
``apply.apply`` runs one message's commands in one transaction;
``apply.receive`` does all of it for one raw message (HTTP and Kafka).
"""

"""The privacy policy (hub/policy/privacy.yaml) and the small code that interprets it."""

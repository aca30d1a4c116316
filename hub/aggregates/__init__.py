"""Event-sourced aggregates. No persistence code lives here."""

"""Referral Hub: an event-sourced, multi-agency referral hub for child protection."""

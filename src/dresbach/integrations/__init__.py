"""Adapters: one per external system. They implement ports and know nothing of flows."""

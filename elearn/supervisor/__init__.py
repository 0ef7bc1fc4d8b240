"""The supervisor area: its blueprint and views."""

"""The mentor area: its blueprint and views."""

"""The learner area: its blueprint and views."""

"""The interface languages: Bahasa Indonesia first, English second (pure, shared by models and the i18n layer)."""

LOCALES = ("id", "en")

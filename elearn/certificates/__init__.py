"""Certificates, pure (no Flask, no database): unguessable serials with a check character, and the PDF layout."""

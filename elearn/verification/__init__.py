"""The public certificate verification pages: no sign-in, no session cookie."""

"""Views of the portfolio: thin — the object for the user, a form, a service, a redirect."""

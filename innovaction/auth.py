def login_throttle_username(request, credentials) -> str | None:
    """The address a login attempt targets, lower-cased so `Agent@` and `agent@` count together."""
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None

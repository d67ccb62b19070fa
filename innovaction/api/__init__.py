"""The read-only REST API `/api/v1/` (SPEC §7): authentication, pagination and the router;
serializers and viewsets live in each app's `api.py`."""

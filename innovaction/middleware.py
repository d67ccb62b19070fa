import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the user picked another language with the switch.

    The browser's Accept-Language is ignored on purpose: the product is French first, and an
    English-language browser in a French town hall must not get a half-English interface.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SlidingSessionMiddleware:
    """Idle expiry: a signed-in user's session ends SESSION_IDLE_TIMEOUT seconds after their last
    request, to the minute. The session is written again (its end pushed back) at most once a
    minute, not on every request: a page read by a signed-in user writes nothing."""

    KEY = "_refreshed"
    EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and time.time() - request.session.get(self.KEY, 0) >= self.EVERY:
            self.refresh(request.session)
        return response

    @classmethod
    def refresh(cls, session) -> None:
        """Modified, the session is saved at the end of the request with a new end."""
        session[cls.KEY] = int(time.time())

    @classmethod
    def on_login(cls, sender, request, user, **kwargs) -> None:
        """Signing in writes the session anyway: it counts as its first refresh."""
        if request is not None and hasattr(request, "session"):
            cls.refresh(request.session)

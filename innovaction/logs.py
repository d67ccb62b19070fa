"""Logging helpers referenced from settings.LOGGING."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused permission or a page not found (4xx) is the application doing its job: its one
    warning line (status, path) says all there is to know, and a traceback per such request
    would bury the real failures. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True

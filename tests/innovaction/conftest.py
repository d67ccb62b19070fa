"""Fixtures of the core app's tests: SMTP servers on loopback that misbehave on demand."""

import asyncio
import socket
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PDF_BYTES = b"%PDF-1.7\n% tableau de bord d'octobre\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An SMTP handler that records what it accepts and misbehaves as a test asks:
    `refuse_data` first DATA commands answered 451, addresses in `refuse_rcpt` always answered
    `rcpt_reply` (451 by default: temporary), `rcpt_delay` seconds of silence after each RCPT
    (a slow server, to catch a worker in the middle of a conversation)."""

    def __init__(self, *, refuse_data=0, refuse_rcpt=(), rcpt_reply="451 4.2.1 Mailbox busy", rcpt_delay=0.0):
        self.messages = []
        self.rcpts = []
        self.refuse_data = refuse_data
        self.refuse_rcpt = set(refuse_rcpt)
        self.rcpt_reply = rcpt_reply
        self.rcpt_delay = rcpt_delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts.append(address)
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if address in self.refuse_rcpt:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data > 0:
            self.refuse_data -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def received_by(self) -> Counter:
        return Counter(message["To"].addresses[0].addr_spec for message in self.messages)


@pytest.fixture
def smtp(settings):
    """`smtp(**behaviour)` starts a loopback SMTP server with a new `Inbox(**behaviour)` and
    points the application's mailer at it; `smtp(inbox, port=…)` starts it again after a stop."""
    running = []

    def start(inbox=None, *, port=None, **behaviour):
        inbox = inbox or Inbox(**behaviour)
        controller = Controller(inbox, hostname="127.0.0.1", port=port or _free_port())
        controller.start()
        running.append(controller)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
            }
        }
        inbox.controller = controller
        return inbox

    yield start
    for controller in running:
        if controller._thread is not None:
            controller.stop()


@pytest.fixture
def fast_retries(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0.3
    settings.OUTBOX_RETRY_MAX_SECONDS = 1


@pytest.fixture
def report_pdf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return default_storage.save("rapports/2026/tableau-de-bord-2026-10.pdf", ContentFile(PDF_BYTES))

"""Outbox: e-mail delivered exactly once from the reader's point of view, with a delivery log.

Callers describe a message under a business key (`services.outbox_enqueue`); the database's
unique constraint on that key is what makes "one copy per (period, recipient)" or "one reminder
of a kind per object per week" hold. A Celery task claims the row, sends it through the
default mailer and records every attempt (`OutboxAttempt`); SMTP errors are retried with
backoff, then the message is marked failed and an alert is raised (`alerts`). A row left
"sending" by a crashed worker is taken back once its lease has expired (`delivery`).

Nothing is imported here so that `innovaction.models` can load the models without cycles.
"""

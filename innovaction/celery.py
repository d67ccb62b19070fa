"""The Celery application. Its settings are the CELERY_* names of innovaction.settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovaction.settings")

app = Celery("innovaction")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["innovaction.outbox"])

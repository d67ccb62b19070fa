"""The monthly scorecard report (SPEC §6): the PDF and its accessible HTML twin, the archive
of issued reports, the recipients the director manages and the delivery of one e-mail per
(period, recipient) through the outbox. Reminders live in `scorecard.reminders`."""

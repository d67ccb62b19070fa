"""Writes of the portfolio, one module per subject: projects and their commission letters,
phase changes and proposals, follow-up (milestones, notes, risks), documents, reference data.

Every service takes keyword-only arguments, validates with `full_clean()`, runs in one
transaction and writes exactly one history row per record it changes. Who may call it is
decided by `portfolio.permissions` in the views; services that grant a decision (gates)
check it again, as a last line.
"""

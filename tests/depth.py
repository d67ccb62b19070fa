"""How hard the generated-input tests push. CI (`CI=true`, set by .ci/run) runs them at full
depth; a developer's `make test` runs the very same tests with a tenth of the examples, so that
the whole suite stays within a few minutes. `TEST_DEPTH=full` (or `quick`) chooses explicitly;
`FUZZ_EXAMPLES=N` sets the forms' budget alone."""

import os

FULL = os.environ.get("TEST_DEPTH") == "full" or (
    os.environ.get("TEST_DEPTH") != "quick" and os.environ.get("CI", "").lower() == "true"
)
# Submissions tried per form (tests/assurance/test_fuzz_forms.py).
FORM_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (200 if FULL else 20))

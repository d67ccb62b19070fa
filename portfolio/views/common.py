"""What the portfolio's views share: showing a service's refusal on the form."""

from django.core.exceptions import ValidationError


def refuse_into(form, error: ValidationError, *, instance=None) -> None:
    """Put a service's refusal on the form, next to the fields it names. After a stale save
    the form carries the record's current version, so saving again (once the user has
    checked) goes through; the user's input is kept either way."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
    if instance is not None and getattr(error, "code", None) == "stale":
        current = type(instance).objects.values_list("version", flat=True).get(pk=instance.pk)
        data = form.data.copy()
        data[form.add_prefix("version")] = current
        form.data = data

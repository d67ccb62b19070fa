"""Filters of the PDF templates (`{% load pdf %}`)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def css_string(value) -> SafeString:
    """`value` as a quoted CSS string, every character that is not a letter, a digit or a space
    written as a CSS escape: safe inside a <style> element whatever the text says. Each escape
    ends with a space, which CSS swallows, so that a real space after it survives."""
    escaped = "".join(char if char.isalnum() or char == " " else f"\\{ord(char):06x} " for char in str(value))
    return mark_safe(f'"{escaped}"')  # noqa: S308 (nothing but letters, digits, spaces and escapes)

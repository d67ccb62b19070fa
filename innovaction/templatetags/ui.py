"""Template filters for the page frame and the components (loaded as builtins)."""

from django import template

from innovaction import formatting

register = template.Library()


@register.filter
def money(value):
    """`{{ amount|money }}` → `1 234 567,89 €`."""
    return formatting.format_money(value)


@register.filter
def money_round(value):
    """`{{ amount|money_round }}` → `1 234 568 €`, for headline figures."""
    return formatting.format_money(value, cents=False)


@register.filter
def integer(value):
    return formatting.format_int(value)


@register.filter
def has_role(user, role_name: str) -> bool:
    return user.is_authenticated and user.has_role(role_name)


@register.filter
def minutes(duration) -> int:
    """A timedelta as a whole number of minutes (at least 1)."""
    return max(1, round(duration.total_seconds() / 60)) if duration else 0


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with `changes` applied (None removes a key); starts with "?".

    `{% query page=2 %}` keeps the filters and sort of the page while changing the page.
    """
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)  # a new filter or sort starts again at page 1
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None and value != "":
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("components/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str, current: str):
    """A column header that sorts by `key`, toggling the direction, with aria-sort."""
    active = current.lstrip("-") == key
    descending = current.startswith("-")
    next_key = f"-{key}" if active and not descending else key
    return {
        "request": context["request"],
        "label": label,
        "next_key": next_key,
        "aria_sort": ("descending" if descending else "ascending") if active else None,
    }


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page):
    """Page links that keep the query string, with ellipses on long lists."""
    return {
        "request": context["request"],
        "page": page,
        "elided_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": page.paginator.ELLIPSIS,
    }

"""The machinery every list page shares: sorting from a whitelist, pagination, and the
query string kept across links, so filters, sort and page all live in the URL."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PER_PAGE = 25
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Sort:
    """`options` maps a URL key to its ORM ordering; a leading "-" in the URL reverses it."""

    options: dict[str, tuple[str, ...]]
    default: str

    def apply(self, queryset: QuerySet, requested: str | None) -> tuple[QuerySet, str]:
        key = requested if requested and requested.lstrip("-") in self.options else self.default
        descending = key.startswith("-")
        fields = self.options[key.lstrip("-")]
        if descending:
            fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
        # The primary key last makes the order total, so pages never overlap.
        return queryset.order_by(*fields, "-pk" if descending else "pk"), key


def paginate(queryset, page_number, per_page: int | str | None = None) -> Page:
    try:
        size = min(max(int(per_page), 1), MAX_PER_PAGE) if per_page else PER_PAGE
    except ValueError:
        size = PER_PAGE
    return Paginator(queryset, size).get_page(page_number)

"""Helpers to describe the query-string filters of a FilterSet in the OpenAPI schema, for the
viewsets that apply a FilterSet themselves (it needs the user, which DRF's backend does not
give it)."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

TYPES = {
    django_filters.BooleanFilter: OpenApiTypes.BOOL,
    django_filters.DateFilter: OpenApiTypes.DATE,
    django_filters.NumberFilter: OpenApiTypes.NUMBER,
    django_filters.ModelChoiceFilter: OpenApiTypes.INT,
}


def filter_parameters(filterset_class, *, exclude: tuple[str, ...] = ()) -> list[OpenApiParameter]:
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        if name in exclude:
            continue
        kind = next((t for cls, t in TYPES.items() if isinstance(declared, cls)), OpenApiTypes.STR)
        choices = declared.extra.get("choices") if isinstance(declared, django_filters.ChoiceFilter) else None
        many = isinstance(declared, django_filters.MultipleChoiceFilter)
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                required=False,
                description=str(declared.label or ""),
                enum=[value for value, _label in choices] if choices and not callable(choices) else None,
                many=many or None,
            )
        )
    return parameters

"""Every URL pattern of the project with a sample path, for tests that sweep the whole site."""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLE_VALUES = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.UUID(int=1)), "path": "x"}
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


def _route_sample(route: str, values: dict[str, str]) -> str:
    def fill(match):
        converter, name = (match.group(1) or "str"), match.group(2)
        return values.get(name, SAMPLE_VALUES.get(converter, "x"))

    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _regex_sample(regex: str, values: dict[str, str]) -> str:
    def fill(match):
        name, body = match.group(1), match.group(2)
        if name in values:
            return values[name]
        first_literal = body.split("|")[0]
        return first_literal if re.fullmatch(r"[\w-]+", first_literal) else "1"

    text = REGEX_GROUP.sub(fill, regex)
    return text.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")


def iter_patterns(resolver=None, prefix="", namespace=""):
    """Yield (qualified name or None, sample path) for every pattern under `resolver`."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            piece = _route_sample(str(pattern._route), {})
        elif isinstance(pattern, RegexPattern):
            piece = _regex_sample(pattern._regex, {})
        else:  # LocalePrefixPattern and friends are not used here
            piece = str(pattern)
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, prefix + piece, child_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, "/" + prefix + piece

"""Extension points of the project page, for apps that portfolio must not import.

`partners` (funding plan) and `scorecard` (indicators a project should move) register
panels from their AppConfig.ready(); the project page renders every registered panel, in
`order`, as a tab of its own, from its template and context function. They may also add
facts to the page's summary (`register_project_fact`), such as the project's leverage.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ProjectPanel:
    key: str
    label: str | Promise
    template_name: str
    context: Callable[[object, object], dict]  # (request, project) -> template context
    order: int = 100


_PANELS: dict[str, ProjectPanel] = {}


def register_project_panel(panel: ProjectPanel) -> None:
    _PANELS[panel.key] = panel


def project_panels() -> list[ProjectPanel]:
    return sorted(_PANELS.values(), key=lambda panel: panel.order)


@dataclass(frozen=True)
class ProjectFact:
    """A line of the project page's summary contributed by another app (e.g. the leverage
    once funding exists): `value(request, project)` returns the text shown, or None to hide."""

    key: str
    label: str | Promise
    value: Callable[[object, object], str | None]
    order: int = 100


_FACTS: dict[str, ProjectFact] = {}


def register_project_fact(fact: ProjectFact) -> None:
    _FACTS[fact.key] = fact


def project_facts() -> list[ProjectFact]:
    return sorted(_FACTS.values(), key=lambda fact: fact.order)

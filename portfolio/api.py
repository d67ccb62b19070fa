"""Projects in the REST API (`/api/v1/projects/`): the list page's filters and visibility."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from innovaction.api.schema import filter_parameters
from portfolio.filters import ProjectFilter
from portfolio.models import Project
from portfolio.selectors.projects import listed_projects


class ProjectSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(source="theme.name", read_only=True)
    district = serializers.CharField(source="district.name", read_only=True, allow_null=True, default=None)
    lead = serializers.EmailField(source="lead.email", read_only=True)
    lead_name = serializers.CharField(source="lead.get_full_name", read_only=True)
    commission_date = serializers.DateField(source="commission_letter.date", read_only=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "description",
            "theme",
            "district",
            "lead",
            "lead_name",
            "sponsor",
            "confidential",
            "commission_date",
            "phase",
            "phase_label",
            "phase_since",
            "weather",
            "last_note_on",
            "total_cost",
            "city_contribution",
        ]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(parameters=filter_parameters(ProjectFilter)))
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects the caller may know of (a confidential project does not exist for outsiders),
    filtered with the query string of the project list page."""

    serializer_class = ProjectSerializer
    queryset = Project.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        _filterset, projects, _sort = listed_projects(self.request.user, self.request.query_params)
        return projects.select_related("commission_letter")

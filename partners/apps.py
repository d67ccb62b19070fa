from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partenaires et cofinancements")

    def ready(self):
        from partners.project_hooks import funding_panel_context, funding_plan_gate, leverage_fact
        from portfolio.choices import Phase
        from portfolio.extensions import ProjectFact, ProjectPanel, register_project_fact, register_project_panel
        from portfolio.workflow import register_gate_check

        register_gate_check(Phase.REALISATION, funding_plan_gate)
        register_project_panel(
            ProjectPanel(
                key="financement",
                label=_("Financement"),
                template_name="partners/project_funding_panel.html",
                context=funding_panel_context,
                order=30,
            )
        )
        register_project_fact(ProjectFact(key="levier", label=_("Effet de levier"), value=leverage_fact, order=50))

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through components/: label, input, help and errors kept together."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"

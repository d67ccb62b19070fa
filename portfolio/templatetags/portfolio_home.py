"""The portfolio's blocks on the home pages, so the core app's views need not know them."""

from django import template

from portfolio.selectors.home import director_home, lead_home
from portfolio.selectors.projects import thresholds

register = template.Library()


@register.inclusion_tag("portfolio/home/lead.html", takes_context=True)
def lead_attention(context):
    """A lead's projects needing attention (late, stormy, without news, late milestones) and
    their next milestones."""
    request = context["request"]
    return {"request": request, **lead_home(request.user, thresholds())}


@register.inclusion_tag("portfolio/home/director.html", takes_context=True)
def director_desk(context):
    """The director's decisions to take, late files and recent moves."""
    request = context["request"]
    return {"request": request, **director_home(request.user, thresholds())}

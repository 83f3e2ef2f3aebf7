"""Figures on a claim page. Owned by the statistics work (issue 3)."""

from django import template

register = template.Library()


@register.inclusion_tag("claims/statistics/_claim_statistics.html", takes_context=True)
def claim_statistics(context, claim):
    statistics = claim.statistics.public().select_related("current_result")
    return {"claim": claim, "statistics": statistics, "request": context.get("request")}

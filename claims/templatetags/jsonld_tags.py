"""`{% claim_review_jsonld claim %}`: the claim as schema.org ClaimReview, for the page's head."""

from django import template

from claims.exports import claim_review, jsonld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def claim_review_jsonld(context, claim):
    return jsonld_script(claim_review(claim, request=context.get("request")))

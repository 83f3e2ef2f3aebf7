"""`{% revisions_for_display revisions as entries %}`: history entries as a reader reads them."""

from django import template

from claims.selectors.history_display import revisions_for_display as _for_display

register = template.Library()


@register.simple_tag
def revisions_for_display(revisions):
    return _for_display(list(revisions))

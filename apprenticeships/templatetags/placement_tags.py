"""{% load placement_tags %}: `status|status_tag_class`, the GOV.UK tag colour for a placement's
status, so that lists tell statuses apart at a glance (as the import preview does outcomes)."""

from django import template

from ..choices import Status

register = template.Library()

STATUS_TAG_CLASSES = {
    Status.WAITING_TO_START: "govuk-tag--yellow",
    Status.IN_LEARNING: "govuk-tag--blue",
    Status.BREAK_IN_LEARNING: "govuk-tag--orange",
    Status.COMPLETED: "govuk-tag--green",
    Status.WITHDRAWN: "govuk-tag--grey",
}


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")

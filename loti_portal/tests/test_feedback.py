"""Feedback has somewhere to go: the phase banner links it, the accessibility statement gives it,
and the statement says what was and was not tested rather than claiming full compliance."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_phase_banner_links_the_feedback_mailbox(client, settings):
    settings.FEEDBACK_EMAIL = "team@loti.example"

    page = client.get(reverse("pages:privacy")).content.decode()

    banner = re.search(r'govuk-phase-banner__text">(.*?)</span>', page, re.S).group(1)
    assert 'href="mailto:team@loti.example?subject=' in banner
    assert ">feedback</a>" in banner


def test_the_accessibility_statement_is_honest_and_gives_a_contact(client, settings):
    settings.FEEDBACK_EMAIL = "team@loti.example"

    page = client.get(reverse("pages:accessibility")).content.decode()

    assert "fully compliant" not in page
    assert "partially compliant" in page
    assert "Non-accessible content" in page
    assert "not yet tested it with screen readers" in page
    assert 'href="mailto:team@loti.example">team@loti.example</a>' in page

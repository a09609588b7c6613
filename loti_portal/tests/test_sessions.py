"""Expired sessions, which may hold a half-entered recruit, do not outlive the next sign-in."""

import datetime

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from loti_portal.accounts.factories import TEST_PASSWORD


def _session(expires_in: datetime.timedelta) -> str:
    store = SessionStore()
    store["recruit_journey"] = {"given_name": "Ada", "family_name": "Example"}
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_signing_in_removes_expired_sessions_and_keeps_live_ones(client, hackney_hr):
    expired = _session(-datetime.timedelta(minutes=1))
    live = _session(datetime.timedelta(minutes=20))

    response = client.post(
        reverse("login"), {"username": "hr@hackney.example", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302  # signed in
    assert not Session.objects.filter(pk=expired).exists()
    assert Session.objects.filter(pk=live).exists()


def test_a_failed_sign_in_leaves_sessions_alone(client, hackney_hr):
    expired = _session(-datetime.timedelta(minutes=1))

    client.post(reverse("login"), {"username": "hr@hackney.example", "password": "wrong"})

    assert Session.objects.filter(pk=expired).exists()

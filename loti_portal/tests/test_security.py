"""Security headers, cookies, HTTPS redirect, sessions and error pages, on real responses."""

from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from loti_portal.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, user, **extra):
    return client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD}, **extra)


def test_every_security_header_is_on_a_real_page(client):
    response = client.get(LOGIN, secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_content_security_policy_is_strict(client):
    policy = client.get(LOGIN)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))

    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert directives["object-src"] == "'none'"


def test_headers_are_on_error_pages_and_health_check_too(client):
    for url in ("/no-such-page/", reverse("healthz")):
        response = client.get(url)
        assert "Content-Security-Policy" in response, url
        assert response["X-Frame-Options"] == "DENY", url
        assert "Permissions-Policy" in response, url


def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(client, hackney_hr):
    page = client.get(LOGIN, secure=True)
    csrf_cookie = page.cookies["__Host-csrftoken"]
    assert csrf_cookie["secure"] is True

    response = sign_in(client, hackney_hr, secure=True)

    session_cookie = response.cookies["__Host-sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_plain_http_is_redirected_to_https_but_not_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(LOGIN)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    assert client.get(reverse("healthz")).status_code == 200


def test_https_seen_through_the_proxy_header_is_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get(LOGIN, headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_session_key_changes_at_sign_in(client, hackney_hr):
    client.get(LOGIN)
    session = client.session
    session["before"] = "sign-in"
    session.save()
    key_before = session.session_key

    sign_in(client, hackney_hr)

    assert client.session.session_key != key_before
    assert client.session[SESSION_KEY] == str(hackney_hr.pk)


def test_deactivated_users_session_ends_on_their_next_request(client, hackney_hr):
    sign_in(client, hackney_hr)
    assert client.get("/").status_code == 302  # signed in: sent on to their workspace
    assert client.get("/")["Location"] != f"{reverse('login')}?next=/"

    hackney_hr.is_active = False
    hackney_hr.save()
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_not_found_page_is_the_portals_and_echoes_nothing(client):
    response = client.get("/placements/<script>secret-path</script>/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"secret-path" not in response.content


def test_bad_host_gets_the_400_page(client, settings):
    response = client.get(LOGIN, HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert b"We could not understand that request" in response.content
    assert b"attacker.example" not in response.content


def test_form_without_csrf_token_gets_the_403_page(hackney_hr):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": hackney_hr.email, "password": TEST_PASSWORD})

    assert response.status_code == 403
    assert b"You do not have permission to see this page" in response.content
    assert b"CSRF" not in response.content


def test_database_outage_shows_the_500_page_without_a_traceback(hackney_hr):
    client = Client(raise_request_exception=False)
    client.force_login(hackney_hr)
    refused = OperationalError('connection to server at "10.0.0.5" port 5432 failed')

    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=refused):
        response = client.get("/")

    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"Traceback" not in response.content
    assert b"10.0.0.5" not in response.content
    assert b"OperationalError" not in response.content

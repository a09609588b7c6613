"""Response headers on every kind of response: pages with personal data are never cached, and the
browser-side protections are on redirects, errors and static files too, not only on pages."""

import pytest
from django.test import Client
from django.urls import reverse

from apprenticeships.factories import PlacementFactory, RecruitmentTargetFactory
from loti_portal.accounts.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

STATIC_FILE = "/static/css/portal.css"


def assert_browser_protections(response, what: str) -> None:
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"], what
    assert response["X-Frame-Options"] == "DENY", what
    assert response["X-Content-Type-Options"] == "nosniff", what
    assert "camera=()" in response["Permissions-Policy"], what


def assert_not_stored(response, what: str) -> None:
    assert "no-store" in response["Cache-Control"], what
    assert "private" in response["Cache-Control"], what


@pytest.fixture
def static_client(settings):
    """A client whose whitenoise serves the source static files (tests run no collectstatic)."""
    settings.WHITENOISE_USE_FINDERS = True
    return Client()  # middleware, whitenoise's file list included, is built on its first request


def test_every_page_with_personal_data_is_not_stored(client, hackney, hackney_hr):
    placement = PlacementFactory(borough=hackney)
    RecruitmentTargetFactory(boroughs=[hackney])
    client.force_login(hackney_hr)
    urls = [
        reverse("apprenticeships:placement_list"),
        reverse("apprenticeships:placement_detail", args=[placement.pk]),
        reverse("dashboard:index"),
        reverse("dashboard:export", args=["boroughs"]),
        reverse("dashboard:progress_json"),
        reverse("imports:upload"),
        reverse("imports:list"),
        reverse("imports:template_csv"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response, url)
    journey = client.get(reverse("apprenticeships:recruit_start"), follow=True)
    assert journey.redirect_chain
    assert_not_stored(journey, "add a recruit")


def test_the_admin_is_not_stored(otp_admin_client):
    for url in ("/admin/", "/admin/accounts/user/"):
        response = otp_admin_client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response, url)


def test_sign_in_redirects_and_errors_are_not_stored(client, hackney_hr):
    responses = {
        "sign-in page": client.get("/accounts/login/"),
        "sign-in": client.post(
            "/accounts/login/", {"username": hackney_hr.email, "password": TEST_PASSWORD}
        ),
        "404": client.get("/no-such-page/"),
    }
    for what, response in responses.items():
        assert_not_stored(response, what)


def test_protections_on_a_redirect_to_sign_in(client):
    response = client.get(reverse("apprenticeships:placement_list"))

    assert response.status_code == 302
    assert_browser_protections(response, "redirect to sign-in")


def test_protections_on_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/accounts/login/")

    assert response.status_code == 301
    assert_browser_protections(response, "redirect to HTTPS")


def test_protections_on_the_missing_slash_redirect(client):
    response = client.get("/accounts/login")

    assert response.status_code == 301
    assert_browser_protections(response, "redirect adding a slash")


def test_protections_on_errors(client, hackney_hr):
    responses = {
        "404": client.get("/no-such-page/"),
        "400 bad host": client.get("/accounts/login/", HTTP_HOST="attacker.example"),
        "405": client.post(reverse("healthz")),
        "403 csrf": Client(enforce_csrf_checks=True).post("/accounts/login/", {}),
    }
    for what, response in responses.items():
        assert response.status_code == int(what[:3]), what
        assert_browser_protections(response, what)


def test_protections_on_a_static_file_which_alone_may_be_cached(static_client):
    response = static_client.get(STATIC_FILE)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert_browser_protections(response, "static file")
    assert "no-store" not in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in response


class TestHostPrefixedCookies:
    """`__Host-` cookies: Secure, Path=/, no Domain: no other subdomain can plant or read them."""

    def test_in_production_both_cookies_are_host_prefixed(self, client, hackney_hr, settings):
        assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
        assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
        page = client.get("/accounts/login/", secure=True)
        signed_in = client.post(
            "/accounts/login/",
            {"username": hackney_hr.email, "password": TEST_PASSWORD},
            secure=True,
        )

        for cookie in (page.cookies["__Host-csrftoken"], signed_in.cookies["__Host-sessionid"]):
            assert cookie["secure"] is True
            assert cookie["path"] == "/"
            assert cookie["domain"] == ""

    @pytest.mark.parametrize(
        ("secure", "names"),
        [("1", "__Host-sessionid __Host-csrftoken"), ("0", "sessionid csrftoken")],
    )
    def test_the_prefix_comes_with_secure_cookies_only(self, secure, names):
        """Browsers refuse a __Host- cookie without Secure: plain names for plain-HTTP setups."""
        from .test_deploy_check import run_manage

        script = (
            "from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
        )
        result = run_manage("shell", "-v", "0", "-c", script, DJANGO_SECURE_COOKIES=secure)

        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == names

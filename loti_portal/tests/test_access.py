"""Every URL pattern × every role → the expected answer (docs/architecture.md, "Who uses it").

A URL added without an entry in EXPECTED fails `test_every_url_has_an_entry`, naming it. Each
feature appends its entries to EXPECTED in one place, keyed by URL name.
"""

from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apprenticeships.choices import Status
from apprenticeships.factories import RecruitmentTargetFactory
from apprenticeships.tests.helpers import placement_in

ROLES = ["anonymous", "hackney_hr", "camden_hr", "loti_analyst", "admin_user"]


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, **overrides):
    """Anonymous users are sent to sign in; the roles get `status` unless overridden."""
    return {**everyone(status), "anonymous": 302, **overrides}


# HR pages for the Hackney placement used below: Camden's HR get 404, LOTI staff 403.
HACKNEY_PLACEMENT = signed_in(200, camden_hr=404, loti_analyst=403)

EXPECTED: dict[str, dict[str, int]] = {
    # Site-wide
    "home": signed_in(302),
    "healthz": everyone(200),
    "favicon": everyone(301),  # to the portal's own icon in static/
    "pages:accessibility": everyone(200),
    "pages:privacy": everyone(200),
    "pages:counting": everyone(200),
    # Sign-in and passwords (Django's views; sign-out is POST only)
    "login": everyone(200),
    "logout": everyone(405),
    "password_change": signed_in(200),
    "password_change_done": signed_in(200),
    "password_reset": everyone(200),
    "password_reset_done": everyone(200),
    "password_reset_confirm": everyone(200),  # an invalid link says so
    "password_reset_complete": everyone(200),
    # The one-time code (accounts/views.py). These clients have passed it, so the code page sends
    # them on; only borough HR without an authenticator set one up here (none of these lacks one).
    "second_factor": signed_in(302),
    "second_factor_setup": signed_in(302, loti_analyst=403),
    "second_factor_qr": signed_in(404),
    # Borough HR workspace (apprenticeships/urls.py)
    "apprenticeships:placement_list": signed_in(200, loti_analyst=403),
    # The programme now: HR's current apprentices and worklist name people, so not for LOTI.
    "apprenticeships:current": signed_in(200, loti_analyst=403),
    "apprenticeships:needing_action": signed_in(200, loti_analyst=403),
    "apprenticeships:recruit_start": signed_in(302, loti_analyst=403),
    "apprenticeships:placement_detail": HACKNEY_PLACEMENT,
    "apprenticeships:placement_edit": HACKNEY_PLACEMENT,
    "apprenticeships:apprentice_edit": HACKNEY_PLACEMENT,
    "apprenticeships:placement_start_break": HACKNEY_PLACEMENT,
    "apprenticeships:placement_complete": HACKNEY_PLACEMENT,
    "apprenticeships:placement_withdraw": HACKNEY_PLACEMENT,
    "apprenticeships:placement_change_provider": HACKNEY_PLACEMENT,
    "apprenticeships:recruit_added": HACKNEY_PLACEMENT,
    # Not offered for a placement in learning: back to the placement page with a message.
    "apprenticeships:placement_start": {**HACKNEY_PLACEMENT, "hackney_hr": 302, "admin_user": 302},
    "apprenticeships:placement_return": {**HACKNEY_PLACEMENT, "hackney_hr": 302, "admin_user": 302},
    # An unknown journey id starts the journey again.
    "apprenticeships:recruit_apprentice": signed_in(302, loti_analyst=403),
    "apprenticeships:recruit_duplicate": signed_in(302, loti_analyst=403),
    "apprenticeships:recruit_equality": signed_in(302, loti_analyst=403),
    "apprenticeships:recruit_placement": signed_in(302, loti_analyst=403),
    "apprenticeships:recruit_check": signed_in(302, loti_analyst=403),
    # Bulk import (apprenticeships/imports/urls.py): LOTI staff may not import (names are shown).
    "imports:upload": signed_in(200, loti_analyst=403),
    "imports:list": signed_in(200, loti_analyst=403),
    "imports:template_csv": signed_in(200, loti_analyst=403),
    "imports:template_xlsx": signed_in(200, loti_analyst=403),
    # Asked for an import that does not exist (its own access is tested in imports/tests).
    "imports:preview": signed_in(404, loti_analyst=403),
    "imports:commit": signed_in(405, loti_analyst=403),  # POST only
    # Dashboard (apprenticeships/dashboard/urls.py): aggregates for every role, HR narrowed to
    # their own boroughs (apprenticeships/tests/dashboard/test_access.py).
    "dashboard:index": signed_in(200),
    "dashboard:progress_json": signed_in(200),
    "dashboard:export": signed_in(200),
    # Counts of people per borough only (HR: their own boroughs), suppressed.
    "dashboard:current": signed_in(200),
    # Every campaign's status; HR see only campaigns with one of their boroughs, and their own
    # boroughs' recruits (apprenticeships/tests/dashboard/test_campaigns.py).
    "dashboard:campaigns": signed_in(200),
    # Each borough against its own pledge: HR their own boroughs, exact; LOTI all, suppressed.
    "dashboard:pledges": signed_in(200),
}

# The admin site is covered by one rule (see test_admin_urls); what admins get where it differs:
ADMIN_STATUS_FOR_ADMINS = {
    "admin:login": 302,  # already signed in: on to the index
    "admin:logout": 405,  # POST only
    "admin:autocomplete": 403,  # refuses a request without its query parameters
    "admin:view_on_site": 404,  # no such object
    "admin:axes_accessattempt_add": 403,  # sign-in records are written only by django-axes
    "admin:imports_importrun_add": 403,  # import runs are written only by an import
    "admin:imports_importrun_delete": 403,
    "admin:axes_accessfailurelog_add": 403,
    # Link requests are made by the journey and the import, decided, never added or deleted.
    "admin:apprenticeships_linkrequest_add": 403,
    "admin:apprenticeships_linkrequest_delete": 403,
    "admin:axes_accesslog_add": 403,
}


def named_patterns(resolver=None, namespace=""):
    """(full URL name, pattern) for every named pattern, walking included URLconfs."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def all_names():
    return sorted({name for name, _ in named_patterns()})


def test_every_url_has_an_entry():
    missing = [n for n in all_names() if not n.startswith("admin:") and n not in EXPECTED]
    assert not missing, f"No access rule in EXPECTED for: {', '.join(missing)}"
    unknown = set(EXPECTED) - set(all_names())
    assert not unknown, f"EXPECTED names URLs that do not exist: {', '.join(sorted(unknown))}"


def _url(name, placement):
    pattern = dict(named_patterns())[name]
    converters = pattern.pattern.converters
    values = {
        "pk": placement.pk,
        "journey": "no-such-journey",
        "uidb64": "MQ",
        "token": "invalid-token",
        "object_id": "1",
        "id": "1",
        "content_type_id": "1",
        "history_id": "1",
        "app_label": "apprenticeships",
        "table": "boroughs",
    }
    regex = pattern.pattern.regex
    kwargs = {k: values[k] for k in set(converters) | set(regex.groupindex)}
    if not kwargs and regex.groups:  # unnamed groups, e.g. simple-history's history pages
        return reverse(name, args=["1"] * regex.groups)
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def as_role(client, request):
    def login(role):
        if role == "admin_user":
            return request.getfixturevalue("otp_admin_client")  # past the admin's one-time code
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def hackney_placement(hackney, camden):
    # The dashboard and its exports need a target to report on.
    RecruitmentTargetFactory(boroughs=[hackney, camden])
    return placement_in(Status.IN_LEARNING, borough=hackney)


@pytest.mark.parametrize("name", [n for n in EXPECTED])
@pytest.mark.parametrize("role", ROLES)
def test_access(name, role, as_role, hackney_placement, hackney_hr, camden_hr):
    client = as_role(role)
    response = client.get(_url(name, hackney_placement))
    assert response.status_code == EXPECTED[name][role], f"{name} as {role}"
    if response.status_code == 404:
        assert hackney_placement.apprentice.family_name not in response.content.decode()


def admin_names():
    return [n for n in all_names() if n.startswith("admin:")]


@pytest.mark.parametrize("name", admin_names())
@pytest.mark.parametrize("role", ROLES)
def test_admin_urls(name, role, as_role, hackney_placement):
    """Anyone but an admin is sent to the admin sign-in; an admin is never refused or broken."""
    response = as_role(role).get(_url(name, hackney_placement))
    if role == "admin_user":
        # Object pages ask for object 1, which may or may not exist: a page, a redirect to the
        # index or "not found", never a refusal or an error.
        expected = ADMIN_STATUS_FOR_ADMINS.get(name)
        if expected:
            assert response.status_code == expected, name
        else:
            assert response.status_code in (200, 302, 404), name
    elif name == "admin:login":
        assert response.status_code == 200  # the sign-in form (non-staff: "not authorised")
    else:
        assert response.status_code == 302, name
        assert response.url.startswith("/admin/")
        assert "login" in response.url or name == "admin:logout"


def test_admin_index_is_a_page_for_admins(as_role):
    assert as_role("admin_user").get(reverse("admin:index")).status_code == 200


PERSONAL_PAGES = [
    name
    for name in EXPECTED
    if name.startswith(("apprenticeships:", "imports:")) and EXPECTED[name]["admin_user"] != 403
]


@pytest.mark.parametrize("name", PERSONAL_PAGES)
@pytest.mark.parametrize("role", ["hackney_hr", "admin_user"])
def test_a_password_alone_opens_no_page_with_personal_data(
    name, role, request, unverified_client, hackney_placement
):
    """Signed in without the one-time code: every page with people sends to the code page."""
    unverified_client.force_login(request.getfixturevalue(role))
    url = _url(name, hackney_placement)

    response = unverified_client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('second_factor')}?{urlencode({'next': url})}"
    assert hackney_placement.apprentice.family_name not in response.content.decode()

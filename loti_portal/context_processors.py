"""Values every page template needs, prepared here so templates only present them."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .accounts.otp import second_factor_pending

# (label, URL name, who sees it); each feature adds its entry here.
NAVIGATION = [
    ("Placements", "apprenticeships:placement_list", "may_see_personal_data"),
    ("Add a recruit", "apprenticeships:recruit_start", "is_borough_hr"),
    ("Import", "imports:upload", "is_borough_hr"),
    ("Dashboard", "dashboard:index", "is_authenticated"),
    ("Admin", "admin:index", "is_portal_admin"),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    # Before the one-time code every link would only lead back to the code page.
    if user is None or not user.is_authenticated or second_factor_pending(user):
        return {"service_navigation": []}
    items = []
    for text, url_name, permission in NAVIGATION:
        if not getattr(user, permission, False):
            continue
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue  # Feature not installed in this build.
        items.append({"text": text, "href": href, "active": False})
    # Only the most specific section is marked: "Add a recruit" (/placements/add/) lies under
    # "Placements" (/placements/), and both lit up at once would not say where you are.
    matching = [item for item in items if request.path.startswith(item["href"])]
    if matching:
        max(matching, key=lambda item: len(item["href"]))["active"] = True
    return {"service_navigation": items}


def feedback(request) -> dict:
    """The mailbox for feedback (phase banner) and accessibility requests (the statement)."""
    return {"feedback_email": settings.FEEDBACK_EMAIL}

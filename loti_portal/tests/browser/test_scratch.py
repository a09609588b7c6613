from django.core.management import call_command

from .axe import axe_violations, describe
from .conftest import sign_in


def test_explore(page, hackney_hr, loti_analyst, new_page):
    call_command("seed_reference_data", verbosity=0)
    sign_in(page, hackney_hr)
    page.screenshot(path="/tmp/b_list.png", full_page=True)
    for url in ["/placements/", "/placements/add/", "/imports/", "/imports/history/", "/dashboard/", "/accessibility/", "/privacy/", "/how-figures-are-counted/", "/accounts/login/"]:
        page.goto(url)
        print("=====", url, page.url)
        print(describe(axe_violations(page)))
        page.set_viewport_size({"width": 320, "height": 640})
        print("scrollWidth", page.evaluate("document.documentElement.scrollWidth"))
        page.set_viewport_size({"width": 1280, "height": 720})
    page.goto("/placements/add/")
    open("/tmp/b_add.html", "w").write(page.content())
    page.get_by_role("button", name="Continue").click()
    open("/tmp/b_add_err.html", "w").write(page.content())
    print("===== add error")
    print(describe(axe_violations(page)))
    p2 = new_page()
    sign_in(p2, loti_analyst)
    p2.goto("/dashboard/")
    p2.screenshot(path="/tmp/b_dash.png", full_page=True)
    open("/tmp/b_dash.html", "w").write(p2.content())
    print(describe(axe_violations(p2)))

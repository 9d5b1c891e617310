"""The inbox in a real browser (issue 14; B-23, B-24, B-43): Chromium, headless."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, sign_in
from tests.browser.server import LiveServer, wait_for


def test_B24_sign_in_and_see_a_client_message_arrive_live(page: Page, server: LiveServer) -> None:
    server.add_login()
    server.client_says("Hi! I'd love a tattoo")
    lead_id = server.lead_id()

    sign_in(page)
    expect(page.get_by_role("heading", name=re.compile("Leads"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Zoë")).click()
    expect(page).to_have_url(re.compile(f"/inbox/leads/{lead_id}$"))
    expect(page.locator("#thread")).to_contain_text("I'd love a tattoo")

    server.client_says("A fine-line swallow")  # while the page is open

    expect(page.locator("#thread li.in").last).to_have_text(re.compile("A fine-line swallow"))
    expect(page.locator("#thread")).to_contain_text("Where on your body")  # the next question


def test_B24_a_new_lead_appears_on_the_open_list(page: Page, server: LiveServer) -> None:
    server.add_login()
    server.client_says("Hi!", contact="447911000001", name="Ann")
    sign_in(page)
    expect(page.get_by_role("link", name=re.compile("Ann"))).to_be_visible()

    server.client_says("Hello there", contact="447911000002", name="Bea")

    expect(page.get_by_role("link", name=re.compile("Bea"))).to_be_visible()
    expect(page.locator("#board")).to_contain_text("All 2")


def test_B43_a_wrong_password_keeps_the_inbox_closed(page: Page, server: LiveServer) -> None:
    server.add_login()

    sign_in(page, password="not the password")

    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    page.goto("/inbox")
    expect(page).to_have_url(re.compile("/inbox/login"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_B43_a_form_without_its_csrf_token_is_refused(page: Page, server: LiveServer) -> None:
    server.add_login()
    sign_in(page)
    expect(page.get_by_role("heading", name=re.compile("Leads"))).to_be_visible()

    page.evaluate("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
    with page.expect_response(re.compile("/inbox/logout")) as answer:
        page.get_by_role("button", name="Sign out").click()

    assert answer.value.status == 403
    expect(page.get_by_role("heading", name="Form expired")).to_be_visible()
    page.goto("/inbox")
    expect(page.get_by_role("heading", name=re.compile("Leads"))).to_be_visible()  # still in


def test_B43_client_text_is_shown_as_text_never_run(page: Page, server: LiveServer) -> None:
    server.add_login()
    server.client_says("Hi!")
    attack = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned=2\">"
    server.client_says(attack)
    sign_in(page, path=f"/inbox/leads/{server.lead_id()}")

    expect(page.locator("#thread")).to_contain_text(attack)
    server.client_says("<script>window.pwned = 3</script> live")  # through the live stream too
    expect(page.locator("#thread")).to_contain_text("<script>window.pwned = 3</script> live")

    assert page.evaluate("window.pwned") is None


def test_the_inbox_reads_at_390px_and_screenshots_for_the_readme(
    page: Page, server: LiveServer, screenshots: Path
) -> None:
    server.add_login()
    for contact, name, texts in [
        ("447911000101", "Priya", ["Hi!", "I want to talk to a human"]),
        ("447911000102", "Tom", ["Hello", "A koi fish, colour", "Back"]),
        ("447911123456", "Zoë", ["Hi! I'd love a tattoo", "A fine-line swallow with a banner",
                                 "Left forearm", "banana", "10x12cm", "fine line"]),
    ]:
        for text in texts:
            server.client_says(text, contact=contact, name=name)
    sign_in(page)

    expect(page.get_by_role("link", name=re.compile("Priya"))).to_be_visible()
    _fits(page)
    page.screenshot(path=str(screenshots / "inbox-list.png"), full_page=True)

    page.get_by_role("link", name=re.compile("Zoë")).click()
    expect(page.locator("#thread")).to_contain_text("fine line")
    _fits(page)
    page.screenshot(path=str(screenshots / "inbox-lead.png"), full_page=True)


def _fits(page: Page) -> None:
    """Nothing wider than the phone: no sideways scrolling, every control on screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide at {PHONE['width']}px"
    for control in page.locator("button, input:not([type=hidden]), select, textarea, a").all():
        box = control.bounding_box()
        if box:
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, control



def test_B40_erase_asks_first_then_erases(page: Page, server: LiveServer) -> None:
    server.add_login()
    server.client_says("Hi!")
    server.client_says("A swallow on my wrist")
    sign_in(page, path=f"/inbox/leads/{server.lead_id()}")
    expect(page.locator("#thread")).to_contain_text("A swallow on my wrist")

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Erase").click()
    expect(page.locator("#thread")).to_contain_text("A swallow on my wrist")  # kept

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Erase").click()

    expect(page.get_by_role("status")).to_contain_text("Erased")
    expect(page.locator("#thread")).not_to_contain_text("A swallow on my wrist")
    wait_for(lambda: any("deleted" in text for text in server.delivered()), "the confirmation")


def test_B24_approve_reply_and_see_the_reply_delivered(page: Page, server: LiveServer) -> None:
    server.add_login()
    sign_in(page)
    expect(page.get_by_role("heading", name=re.compile("Leads"))).to_be_visible()
    server.client_says("Hi!")  # the lead appears while the list is open
    server.client_says("I want to talk to a human")  # handed over to the artist
    page.get_by_role("link", name=re.compile("Zoë")).click()
    expect(page.locator("#status")).to_have_text("Needs artist reply")

    page.get_by_role("button", name="Approve").click()

    expect(page.get_by_role("status")).to_contain_text("Approved")
    expect(page.locator("#status")).to_have_text("Awaiting deposit")
    wait_for(lambda: any("/checkout" in t or "deposit" in t.lower() for t in server.delivered()),
             "the deposit link")

    page.get_by_label("Reply").fill("Hi Zoë, Mara here: see you soon!")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("status")).to_contain_text("Sent")
    expect(page.locator("#thread li.out.artist").last).to_contain_text("Mara here")
    wait_for(lambda: "Hi Zoë, Mara here: see you soon!" in server.delivered(), "the reply")

    with page.expect_response(re.compile("/resume$")) as answer:
        page.get_by_role("button", name="Resume").click()  # not handed over any more

    assert answer.value.status == 409
    expect(page.get_by_role("alert")).to_contain_text("Not done:")
    expect(page.locator("#status")).to_have_text("Awaiting deposit")

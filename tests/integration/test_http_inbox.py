"""The artist's inbox over HTTP (B-24, B-43): sessions, CSRF, studio scoping, escaping."""

from __future__ import annotations

import pytest

from tests.integration.inbox_support import EMAIL, PASSWORD, add_login, csrf_of, sign_in
from tests.integration.test_http_admin import lead_id_of, say
from tests.integration.test_http_support import Api

PAGES = [
    "/inbox", "/inbox/", "/inbox/events", "/inbox/leads/some-id", "/inbox/leads/some-id/events",
    "/inbox/leads.csv",
]


@pytest.mark.parametrize("path", PAGES)
async def test_B43_every_page_needs_a_session(api: Api, path: str) -> None:
    response = await api.client.get(path, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/inbox/login?next=/inbox")


async def test_B43_the_login_form_has_its_labels_and_button(api: Api) -> None:
    page = (await api.client.get("/inbox/login")).text

    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert '<button type="submit">Sign in</button>' in page


async def test_B43_sign_in_sets_an_httponly_lax_session_cookie(api: Api) -> None:
    await add_login(api)

    response = await sign_in(api)

    assert response.status_code == 303
    assert response.headers["location"] == "/inbox"
    cookie = next(c for c in response.headers.get_list("set-cookie")
                  if c.startswith("inkbook_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the public URL is http here
    assert (await api.client.get("/inbox")).status_code == 200


async def test_B43_the_cookie_is_secure_when_the_public_url_is_https(tmp_path) -> None:
    from tests.integration.test_http_support import running, settings_for

    async with running(settings_for(tmp_path, public_url="https://inbox.example")) as api:
        await add_login(api)
        form = await api.client.get("/inbox/login")
        [login_cookie] = form.headers.get_list("set-cookie")
        token = csrf_of(form.text)
        response = await api.client.post(  # the http test client keeps no Secure cookie
            "/inbox/login",
            data={"csrf": token, "email": EMAIL, "password": PASSWORD},
            headers={"Cookie": f"inkbook_login={token}"},
            follow_redirects=False,
        )
    cookie = next(c for c in response.headers.get_list("set-cookie")
                  if c.startswith("inkbook_session="))
    assert "Secure" in login_cookie
    assert response.status_code == 303
    assert "Secure" in cookie and "HttpOnly" in cookie


async def test_B43_a_wrong_password_is_refused_and_sets_no_session(api: Api) -> None:
    await add_login(api)

    response = await sign_in(api, password="wrong password")

    assert response.status_code == 401
    assert "Wrong email or password." in response.text
    assert "inkbook_session" not in api.client.cookies
    assert (await api.client.get("/inbox", follow_redirects=False)).status_code == 303


async def test_B43_an_unknown_email_is_refused_the_same_way(api: Api) -> None:
    response = await sign_in(api, email="nobody@inkwell.example")

    assert response.status_code == 401
    assert "Wrong email or password." in response.text


async def test_B43_repeated_failures_are_slowed_down_even_for_the_right_password(
    api: Api,
) -> None:
    await add_login(api)
    free = api.container.settings().inbox_login_free_attempts
    for _ in range(free):
        assert (await sign_in(api, password="nope nope")).status_code == 401

    slowed = await sign_in(api)  # the right password, too soon after the failures

    assert slowed.status_code == 429
    assert int(slowed.headers["retry-after"]) >= 1
    assert "Too many failed sign-ins" in slowed.text
    assert "inkbook_session" not in api.client.cookies


async def test_B43_a_sign_in_without_its_csrf_token_is_403(api: Api) -> None:
    await add_login(api)
    await api.client.get("/inbox/login")

    response = await api.client.post(
        "/inbox/login", data={"email": EMAIL, "password": PASSWORD}, follow_redirects=False
    )

    assert response.status_code == 403
    assert "inkbook_session" not in api.client.cookies


async def test_B43_a_form_without_its_csrf_token_is_403(api: Api) -> None:
    await add_login(api)
    await sign_in(api)

    without = await api.client.post("/inbox/logout", data={}, follow_redirects=False)
    wrong = await api.client.post("/inbox/logout", data={"csrf": "forged"},
                                  follow_redirects=False)

    assert without.status_code == 403
    assert wrong.status_code == 403
    assert (await api.client.get("/inbox")).status_code == 200  # still signed in


async def test_B43_sign_out_ends_the_session(api: Api) -> None:
    await add_login(api)
    await sign_in(api)
    token = csrf_of((await api.client.get("/inbox")).text)

    response = await api.client.post("/inbox/logout", data={"csrf": token},
                                     follow_redirects=False)

    assert response.status_code == 303
    assert (await api.client.get("/inbox", follow_redirects=False)).status_code == 303


async def test_B43_removing_a_login_ends_its_sessions(api: Api) -> None:
    await add_login(api)
    await sign_in(api)

    await api.container.logins().remove(EMAIL)

    assert (await api.client.get("/inbox", follow_redirects=False)).status_code == 303


async def test_B43_a_tampered_session_cookie_is_no_session(api: Api) -> None:
    await add_login(api)
    await sign_in(api)
    value = api.client.cookies["inkbook_session"]
    api.client.cookies.set("inkbook_session", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))

    assert (await api.client.get("/inbox", follow_redirects=False)).status_code == 303


async def test_B23_the_open_link_leads_to_the_lead_after_sign_in(api: Api) -> None:
    await add_login(api)
    await say(api, ["Hi!"])
    lead_id = await lead_id_of(api)

    first = await api.client.get(f"/inbox/leads/{lead_id}", follow_redirects=False)
    signed = await sign_in(api, next_path=first.headers["location"].split("next=", 1)[1])

    assert signed.headers["location"] == f"/inbox/leads/{lead_id}"
    page = await api.client.get(signed.headers["location"])
    assert page.status_code == 200
    assert "Hi!" in page.text


async def test_B43_sign_in_never_redirects_outside_the_inbox(api: Api) -> None:
    await add_login(api)

    for target in ("https://evil.example/", "//evil.example", "/api/leads"):
        response = await sign_in(api, next_path=target)
        assert response.headers["location"] == "/inbox"


async def test_B43_another_studios_lead_is_404(api: Api) -> None:
    await add_login(api)
    await say(api, ["Hi!"])
    lead_id = await lead_id_of(api)
    await add_login(api, email="other@elsewhere.example", studio="demo")
    async with api.container.store().uow() as uow:  # move the lead to another studio
        import msgspec

        lead = await uow.leads.lock_by_id(lead_id)
        await uow.leads.save(msgspec.structs.replace(lead, studio="another-studio"))
        await uow.commit()
    await sign_in(api)

    page = await api.client.get(f"/inbox/leads/{lead_id}")
    events = await api.client.get(f"/inbox/leads/{lead_id}/events")
    listing = await api.client.get("/inbox")

    assert page.status_code == 404
    assert events.status_code == 404
    assert lead_id not in listing.text


async def test_B43_client_text_is_escaped(api: Api) -> None:
    await add_login(api)
    await say(api, ["Hi!", "<script>alert('x')</script> & <b>bold</b>"])
    lead_id = await lead_id_of(api)
    await sign_in(api)

    page = (await api.client.get(f"/inbox/leads/{lead_id}")).text

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


async def test_B24_the_list_puts_leads_needing_the_artist_first_with_counts(api: Api) -> None:
    await add_login(api)
    await say(api, ["Hi!", "I want to talk to a human"], contact="447911000001")
    await say(api, ["Hello"], contact="447911000002", start=100)
    await sign_in(api)

    page = (await api.client.get("/inbox")).text
    filtered = (await api.client.get("/inbox", params={"status": "QUALIFYING"})).text
    searched = (await api.client.get("/inbox", params={"q": "+44 7911 000002"})).text

    assert page.index("+447911000001") < page.index("+447911000002")  # needs the artist first
    assert "Needs artist reply 1" in page and "Qualifying 1" in page
    assert "+447911000002" in filtered and "+447911000001" not in filtered
    assert "+447911000002" in searched and "+447911000001" not in searched


async def test_B23_the_brief_shows_answers_understood_values_and_failures(api: Api) -> None:
    await add_login(api)
    await say(api, ["Hi!", "A swallow", "Left forearm", "10x12cm"])
    await say(api, ["Hi!", "A koi", "Back", "banana"], contact="447911000009", start=100)
    understood, failing = await lead_id_of(api), await lead_id_of(api, "447911000009")
    await sign_in(api)

    page = (await api.client.get(f"/inbox/leads/{understood}")).text
    other = (await api.client.get(f"/inbox/leads/{failing}")).text

    assert "A swallow" in page and "Left forearm" in page
    assert "10x12cm" in page and "width_cm: 10.0" in page
    assert "New → Qualifying" in page  # the status history
    assert "not understood 1×" in other  # the size question, still open


async def test_the_inbox_csv_link_downloads_the_studios_leads(api: Api) -> None:
    await add_login(api)
    await say(api, ["Hi!", "=HYPERLINK(\"http://x\")"])
    await sign_in(api)

    listing = (await api.client.get("/inbox")).text
    response = await api.client.get("/inbox/leads.csv")

    assert 'href="/inbox/leads.csv"' in listing and "Download CSV" in listing
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


async def test_B23_reference_images_are_shown_through_the_providers_media(api: Api) -> None:
    import msgspec
    from dependency_injector import providers

    from adapters.memory import MemoryMedia
    from ports.media import MediaFile

    png = b"\x89PNG\r\n\x1a\n a tiny png"
    api.container.media.override(providers.Object(MemoryMedia({
        "media-1": MediaFile(content_type="image/png", body=png)})))
    await add_login(api)
    await say(api, ["Hi!"])
    lead_id = await lead_id_of(api)
    async with api.container.store().uow() as uow:
        lead = await uow.leads.lock_by_id(lead_id)
        await uow.leads.save(msgspec.structs.replace(lead, references=("media-1", "media-gone")))
        await uow.commit()
    await sign_in(api)

    page = (await api.client.get(f"/inbox/leads/{lead_id}")).text
    first = await api.client.get(f"/inbox/leads/{lead_id}/references/1")
    gone = await api.client.get(f"/inbox/leads/{lead_id}/references/2")
    beyond = await api.client.get(f"/inbox/leads/{lead_id}/references/3")

    assert f'src="/inbox/leads/{lead_id}/references/1"' in page
    assert first.status_code == 200
    assert first.content == png and first.headers["content-type"] == "image/png"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert gone.status_code == 404 and beyond.status_code == 404


async def test_B43_inbox_pages_cannot_be_framed_or_load_anything_from_elsewhere(api: Api) -> None:
    await add_login(api)
    login = await api.client.get("/inbox/login")
    await sign_in(api)
    listing = await api.client.get("/inbox")

    for response in (login, listing):
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
    assert "https://" not in listing.text and "http://" not in listing.text  # no CDN


async def test_B24_the_deposit_and_booking_show_when_there_are_any(api: Api) -> None:
    from datetime import UTC, datetime

    import msgspec

    from core.domain.lead import Booking, Deposit

    await add_login(api)
    await say(api, ["Hi!"])
    lead_id = await lead_id_of(api)
    await sign_in(api)
    before = (await api.client.get(f"/inbox/leads/{lead_id}")).text
    start = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
    async with api.container.store().uow() as uow:
        lead = await uow.leads.lock_by_id(lead_id)
        await uow.leads.save(msgspec.structs.replace(
            lead,
            deposit=Deposit(amount=5000, currency="GBP", checkout_url="http://pay.example/x",
                            paid_at=start),
            booking=Booking(start=start, end=start.replace(hour=16), reference="bk-1"),
        ))
        await uow.commit()

    after = (await api.client.get(f"/inbox/leads/{lead_id}")).text

    assert "Deposit and booking" not in before
    assert "Deposit 50.00 GBP: paid 10 Dec 2026 14:00 UTC" in after
    assert "Booked 10 Dec 2026 14:00 UTC – 10 Dec 2026 16:00 UTC (bk-1)" in after


async def test_B40_erase_from_the_lead_page_runs_the_admin_erasure(api: Api) -> None:
    await add_login(api)
    await say(api, ["Hi!", "A swallow on my wrist"])
    lead_id = await lead_id_of(api)
    await sign_in(api)
    page = (await api.client.get(f"/inbox/leads/{lead_id}")).text
    assert '<button type="submit" class="quiet">Erase</button>' in page

    without = await api.client.post(f"/inbox/leads/{lead_id}/erase", data={},
                                    follow_redirects=False)
    erased = await api.client.post(f"/inbox/leads/{lead_id}/erase",
                                   data={"csrf": csrf_of(page)}, follow_redirects=False)
    after = await api.client.get(erased.headers["location"])

    assert without.status_code == 403
    assert erased.status_code == 303
    assert "Erased: the client" in after.text
    assert "A swallow on my wrist" not in after.text
    admin = (await api.admin(f"/api/leads/{lead_id}")).json()
    assert admin["answers"] == {}
    assert [line["kind"] for line in admin["thread"]] == ["erasure_confirmation"]


async def test_B43_an_action_on_another_studios_lead_is_404_and_changes_nothing(
    api: Api,
) -> None:
    import msgspec

    await add_login(api)
    await say(api, ["Hi!", "A swallow on my wrist"])
    lead_id = await lead_id_of(api)
    async with api.container.store().uow() as uow:
        lead = await uow.leads.lock_by_id(lead_id)
        await uow.leads.save(msgspec.structs.replace(lead, studio="another-studio"))
        await uow.commit()
    await sign_in(api)
    token = csrf_of((await api.client.get("/inbox")).text)

    before = (await api.admin(f"/api/leads/{lead_id}")).json()
    for name in ("erase", "no-such-action"):
        response = await api.client.post(f"/inbox/leads/{lead_id}/{name}", data={"csrf": token})
        assert response.status_code == 404
    after = (await api.admin(f"/api/leads/{lead_id}")).json()
    assert after == before and after["answers"]["idea"] == "A swallow on my wrist"

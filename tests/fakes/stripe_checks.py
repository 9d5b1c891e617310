"""The parameter checks the fake Stripe API makes on ``POST /v1/checkout/sessions``.

Modelled on Stripe's documented rules (PROVIDERS.md B4, docs.stripe.com/api/checkout/
sessions/create, docs.stripe.com/api/metadata): an error is ``(param, code, message)``
as Stripe's ``invalid_request_error`` body carries them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

Problem = tuple[str, str, str]
ITEM = "line_items[0]"
KNOWN = re.compile(
    r"mode|success_url|cancel_url|client_reference_id|expires_at|customer_email"
    r"|metadata\[[^\[\]]+\]|payment_intent_data\[metadata\]\[[^\[\]]+\]"
    r"|line_items\[0\]\[(quantity|price_data\]\[(currency|unit_amount|product_data\]\[name))\]"
)


def check_session(form: dict[str, str], now: datetime) -> Problem | None:
    """The first problem Stripe would report with these form fields, else None."""
    for name in form:
        if not KNOWN.fullmatch(name):
            return name, "parameter_unknown", f"Received unknown parameter: {name}"
    for check in (_mode, _item, _urls, _reference, _metadata, _expiry):
        problem = check(form, now)
        if problem:
            return problem
    return None


def _missing(name: str) -> Problem:
    return name, "parameter_missing", f"Missing required param: {name}."


def _positive_int(form: dict[str, str], name: str) -> Problem | None:
    if name not in form:
        return _missing(name)
    if not re.fullmatch(r"\d+", form[name]):
        return name, "parameter_invalid_integer", f"Invalid integer: {form[name]}"
    if int(form[name]) < 1:
        return name, "parameter_invalid_integer", f"Invalid {name}: must be at least 1"
    return None


def _mode(form: dict[str, str], now: datetime) -> Problem | None:
    if "mode" not in form:
        return _missing("mode")
    if form["mode"] != "payment":  # the fake only knows payment mode
        return "mode", "parameter_invalid", f"Invalid mode: {form['mode']}"
    return None


def _item(form: dict[str, str], now: datetime) -> Problem | None:
    price = f"{ITEM}[price_data]"
    if f"{price}[currency]" not in form:
        return _missing(f"{price}[currency]")
    if not re.fullmatch(r"[a-z]{3}", form[f"{price}[currency]"]):
        currency = form[f"{price}[currency]"]
        return f"{price}[currency]", "parameter_invalid", f"Invalid currency: {currency}"
    if not form.get(f"{price}[product_data][name]", "").strip():
        return _missing(f"{price}[product_data][name]")
    return _positive_int(form, f"{price}[unit_amount]") or _positive_int(form, f"{ITEM}[quantity]")


def _urls(form: dict[str, str], now: datetime) -> Problem | None:
    if "success_url" not in form:
        return _missing("success_url")
    for name in ("success_url", "cancel_url"):
        if name in form:
            parts = urlsplit(form[name])
            if parts.scheme not in ("http", "https") or not parts.netloc:
                return name, "url_invalid", "Not a valid URL"
    return None


def _reference(form: dict[str, str], now: datetime) -> Problem | None:
    if len(form.get("client_reference_id", "")) > 200:
        return "client_reference_id", "parameter_invalid", "Must be at most 200 characters"
    return None


def _metadata(form: dict[str, str], now: datetime) -> Problem | None:
    for prefix in ("metadata", "payment_intent_data[metadata]"):
        keys = {n[len(prefix) + 1 : -1]: v for n, v in form.items() if n.startswith(prefix + "[")}
        if len(keys) > 50:
            return prefix, "parameter_invalid", "Metadata can have at most 50 keys"
        for key, value in keys.items():
            if len(key) > 40 or len(value) > 500:
                param = f"{prefix}[{key}]"
                return param, "parameter_invalid", "Metadata keys <= 40, values <= 500 chars"
    return None


def _expiry(form: dict[str, str], now: datetime) -> Problem | None:
    if "expires_at" not in form:
        return None
    if not re.fullmatch(r"\d+", form["expires_at"]):
        return "expires_at", "parameter_invalid_integer", f"Invalid integer: {form['expires_at']}"
    delay = timedelta(seconds=int(form["expires_at"]) - now.timestamp())
    if not timedelta(minutes=30) <= delay <= timedelta(hours=24):
        message = "The `expires_at` timestamp must be between 30 minutes and 24 hours from now"
        return "expires_at", "parameter_invalid", message
    return None

"""Twilio client against a local server speaking Twilio's REST API, and the verification of
signed status callbacks."""

import base64
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from odoo.addons.sms_notify.tests.fakes import twilio as fakes
from odoo.addons.sms_notify.tools import twilio
from odoo.addons.sms_notify.tools.gateway import GatewayError, OutgoingSms, ReportRejected, utc_now

WEBHOOK = "https://shop.example/sms_notify/report/5"


def sms(uuid="u1", number="+15005550006", body="Your glasses are ready", **kwargs):
    return OutgoingSms(uuid=uuid, number=number, body=body, **kwargs)


@pytest.fixture
def fake():
    with fakes.FakeTwilio() as server:
        yield server


def client(fake, **config):
    return twilio.TwilioClient(
        {
            "base_url": fake.url,
            "account_sid": fake.account_sid,
            "auth_token": fake.auth_token,
            "sender": "+15005550001",
            "webhook_url": WEBHOOK,
            "timeout": 2,
            **config,
        }
    )


def test_send_creates_a_message_per_recipient_with_basic_auth(fake):
    results = client(fake).send([sms("u1"), sms("u2", number="+15005550007", body="x" * 161)])
    assert [(r.state, r.segments) for r in results] == [("pending", 1), ("pending", 2)]
    assert [r.gateway_reference for r in results] == list(fake.messages)
    requests = fake.requests_to("/Messages.json")
    assert len(requests) == 2
    assert requests[0].path == f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    credentials = f"{fake.account_sid}:{fake.auth_token}".encode()
    assert requests[0].headers["authorization"] == "Basic " + base64.b64encode(credentials).decode()
    form = requests[0].form
    assert (form["To"], form["From"], form["Body"]) == (
        "+15005550006",
        "+15005550001",
        "Your glasses are ready",
    )


def test_status_callback_url_carries_the_reference(fake):
    [result] = client(fake, webhook_url=WEBHOOK + "?token=abc").send([sms("u1")])
    callback = urlsplit(fake.callback_urls[result.gateway_reference])
    assert callback.path == "/sms_notify/report/5"
    assert dict(parse_qsl(callback.query)) == {"token": "abc", "sms_ref": "u1"}


def test_api_key_authenticates_instead_of_the_auth_token(fake):
    fake.api_keys["SK123"] = "key-secret"
    gateway = client(
        fake, auth_token="unused-for-rest", api_key_sid="SK123", api_key_secret="key-secret"
    )
    [result] = gateway.send([sms()])
    assert result.state == "pending"
    credentials = base64.b64encode(b"SK123:key-secret").decode()
    assert fake.last_request.headers["authorization"] == f"Basic {credentials}"


def test_messaging_service_replaces_the_from_number(fake):
    client(fake, messaging_service_sid="MG123").send([sms()])
    form = fake.last_request.form
    assert form["MessagingServiceSid"] == "MG123" and "From" not in form


def test_validity_period_comes_from_valid_until(fake):
    now = utc_now()
    results = client(fake, clock=lambda: now).send(
        [
            sms("u1", valid_until=now + timedelta(minutes=15)),
            sms("u2", valid_until=now + timedelta(days=1)),
            sms("u3"),
        ]
    )
    periods = [fake.validity_periods[r.gateway_reference] for r in results]
    assert periods == ["900", "36000", None]


def test_message_whose_validity_is_over_is_not_sent(fake):
    [result] = client(fake).send([sms(valid_until=utc_now() - timedelta(seconds=1))])
    assert result.failure_type == "sms_expired" and fake.requests == []


@pytest.mark.parametrize(
    "problem, failure_type, code",
    [
        ("bad_number", "sms_number_format", "21211"),
        ("undeliverable", "sms_invalid_destination", "21614"),
        ("forbidden", "sms_not_allowed", "21610"),
    ],
)
def test_refused_recipient_fails_alone_with_twilio_text(fake, problem, failure_type, code):
    fake.number_errors["+15005550009"] = problem
    good, bad = client(fake).send([sms("u1"), sms("u2", number="+15005550009")])
    assert good.state == "pending"
    assert (bad.state, bad.failure_type) == ("error", failure_type)
    assert bad.error_message.startswith(f"Twilio error {code}: ")


def test_refused_sender_is_not_allowed(fake):
    fake.forbidden_senders.add("+15005550001")
    [result] = client(fake).send([sms()])
    assert result.failure_type == "sms_not_allowed" and "21212" in result.error_message


def test_rate_limit_is_transient_with_retry_after_and_keeps_the_answers_that_came(fake):
    fake.fail("rate_limit", after=1)
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1"), sms("u2"), sms("u3")])
    error = caught.value
    assert error.transient and error.retry_after == fake.retry_after and not error.maybe_sent
    # u1 went alone; of u2 and u3, sent side by side, the one that came second was refused
    uuids = [result.uuid for result in error.results]
    assert uuids[0] == "u1" and len(uuids) == 2 and uuids[1] in ("u2", "u3")


def test_wrong_auth_token_is_not_transient(fake):
    with pytest.raises(GatewayError) as caught:
        client(fake, auth_token="wrong").send([sms()])
    assert not caught.value.transient and caught.value.failure_type == "sms_acc"


def test_unknown_account_is_not_transient(fake):
    with pytest.raises(GatewayError) as caught:
        client(fake, account_sid="AC" + "0" * 32, auth_token=fake.auth_token).send([sms()])
    assert not caught.value.transient


def test_status_query_maps_twilio_states_and_error_codes(fake):
    results = client(fake).send([sms(f"u{i}") for i in range(5)])
    sids = [result.gateway_reference for result in results]
    fake.set_status(sids[0], "delivered", at=1_700_000_000)
    fake.set_status(sids[1], "failed", error_code=30036, error_message="Validity Period Expired")
    fake.set_status(sids[2], "undelivered", error_code=30005)
    fake.set_status(sids[3], "sent")
    reports = {report.gateway_reference: report for report in client(fake).fetch_status(sids)}
    assert [(reports[s].state, reports[s].failure_type) for s in sids] == [
        ("sent", False),
        ("error", "sms_expired"),
        ("error", "sms_invalid_destination"),
        ("pending", False),
        ("process", False),
    ]
    assert reports[sids[0]].done_at == datetime(2023, 11, 14, 22, 13, 20)
    assert reports[sids[0]].cost == 0.0079 and reports[sids[0]].segments == 1
    assert "30036" in reports[sids[1]].error_message


def test_status_query_skips_messages_twilio_does_not_know(fake):
    assert client(fake).fetch_status(["SM" + "f" * 32]) == []


def test_signed_status_callback_gives_a_report(fake):
    [result] = client(fake).send([sms("u1")])
    url, params, headers = fake.status_callback(result.gateway_reference, "undelivered", 30003)
    [report] = client(fake).parse_report("POST", url, headers, params)
    assert (report.gateway_reference, report.state, report.failure_type) == (
        result.gateway_reference,
        "error",
        "sms_not_delivered",
    )
    assert report.reference == "u1"


def test_signature_is_checked_against_the_configured_url_behind_a_proxy(fake):
    [result] = client(fake).send([sms("u1")])
    url, params, headers = fake.status_callback(result.gateway_reference, "delivered")
    # Odoo behind a reverse proxy sees http://internal:8069/... while Twilio signed the
    # public https URL given to it
    seen = url.replace("https://shop.example", "http://10.0.0.5:8069")
    [report] = client(fake).parse_report("POST", seen, headers, params)
    assert report.state == "sent"


def test_forged_status_callback_is_rejected(fake):
    [result] = client(fake).send([sms("u1")])
    url, params, headers = fake.forged_status_callback(result.gateway_reference)
    with pytest.raises(ReportRejected):
        client(fake).parse_report("POST", url, headers, params)


def test_tampered_status_callback_is_rejected(fake):
    [result] = client(fake).send([sms("u1")])
    url, params, headers = fake.status_callback(result.gateway_reference, "failed")
    params["MessageStatus"] = "delivered"
    with pytest.raises(ReportRejected):
        client(fake).parse_report("POST", url, headers, params)


def test_unsigned_status_callback_is_rejected(fake):
    [result] = client(fake).send([sms("u1")])
    url, params, _headers = fake.status_callback(result.gateway_reference, "delivered")
    with pytest.raises(ReportRejected):
        client(fake).parse_report("POST", url, {}, params)


def test_callback_for_another_account_is_rejected(fake):
    [result] = client(fake).send([sms("u1")])
    url, params, _headers = fake.status_callback(result.gateway_reference, "delivered")
    params["AccountSid"] = "AC" + "9" * 32
    headers = {"X-Twilio-Signature": fakes.compute_signature(fake.auth_token, url, params)}
    with pytest.raises(ReportRejected):
        client(fake).parse_report("POST", url, headers, params)


def test_signature_matches_twilios_documented_example():
    # the example of twilio.com/docs/usage/security ("Validating Requests")
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    expected = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert twilio.compute_signature("12345", url, params) == expected
    assert fakes.compute_signature("12345", url, params) == expected


def test_balance_and_connection_check(fake):
    gateway = client(fake)
    assert gateway.fetch_balance() == (25.0, "USD")
    assert "25.00 USD" in gateway.test_connection()


def test_post_status_callback_delivers_the_signed_form(fake):
    [result] = client(fake).send([sms()])
    with fakes.FakeTwilio() as receiver:
        url, params, headers = fake.status_callback(
            result.gateway_reference, "delivered", url=receiver.url + "/report"
        )
        fakes.post_status_callback(url, params, headers)
        received = receiver.last_request
    assert (received.method, received.path, received.form) == ("POST", "/report", params)
    assert received.headers["x-twilio-signature"] == headers["X-Twilio-Signature"]

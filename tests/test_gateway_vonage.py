"""Vonage client against a local server speaking Vonage's Messages API v1: SMS, Viber
business messages with the SMS failover Vonage runs itself, errors, and the verification of
signed status webhooks.

Each test says in its docstring what breaks when it fails."""

import base64
import hashlib
import json
from datetime import datetime, timedelta

import pytest

from odoo.addons.sms_notify.tests.fakes import vonage as fakes
from odoo.addons.sms_notify.tools import vonage
from odoo.addons.sms_notify.tools.gateway import (
    SMS,
    VIBER,
    GatewayError,
    OutgoingSms,
    ReportRejected,
    get_client_class,
    utc_now,
)

SECRET = "tok-5"
WEBHOOK = f"https://shop.example/sms_notify/report/5/{SECRET}"
IMAGE = "https://optika.example/frames.png"
LINK = "https://optika.example/sale"


def sms(uuid="u1", number="+48500600700", body="Your glasses are ready", **kwargs):
    return OutgoingSms(uuid=uuid, number=number, body=body, **kwargs)


def viber_message(uuid="v1", body="Your glasses are ready", **kwargs):
    return sms(uuid, body=body, channel=VIBER, **kwargs)


@pytest.fixture
def fake():
    with fakes.FakeVonage() as server:
        yield server


def client(fake, **config):
    return vonage.VonageClient(
        {
            "base_url": fake.url,
            "rest_base_url": fake.url,
            "api_key": fake.api_key,
            "api_secret": fake.api_secret,
            "signature_secret": fake.signature_secret,
            "sender": "Optika",
            "viber_sender": "16273",
            "webhook_url": WEBHOOK,
            "webhook_secret": SECRET,
            "timeout": 2,
            **config,
        }
    )


def sent(fake):
    return [request.json for request in fake.requests_to("/v1/messages")]


def report(fake, message_uuid, status=None, **config):
    url, headers, body = fake.status_callback(message_uuid, status)
    [parsed] = client(fake, **config).parse_report("POST", url, headers, {}, body)
    return parsed


# the gateway type


def test_vonage_is_a_registered_type_sending_sms_and_viber_and_cascading_itself():
    """Protects the routing of Viber messages to Vonage and the engine leaving the fallback
    SMS to Vonage: the queue asks the type for its channels and whether it cascades."""
    client_class = get_client_class("vonage")
    assert client_class is vonage.VonageClient
    assert client_class.channels == {SMS, VIBER} and client_class.vendor_cascade
    assert client_class.can_test_connection()
    assert client_class.form_field_names()["webhook_url"] is False
    assert set(client_class.config_fields.values()) <= set(client_class.form_fields)


# SMS


def test_sms_is_one_json_message_with_basic_auth_and_the_number_without_plus(fake):
    """Protects sending SMS at all: Vonage takes one JSON message per request, authenticated
    with the API key and secret, ``to`` in digits only."""
    results = client(fake).send([sms("u1"), sms("u2", number="+48500600701", body="x" * 161)])
    assert [(r.state, r.segments) for r in results] == [("pending", 1), ("pending", 2)]
    assert [r.gateway_reference for r in results] == list(fake.messages)
    assert [r.cascade_reference for r in results] == [False, False]
    request = fake.requests_to("/v1/messages")[0]
    credentials = base64.b64encode(f"{fake.api_key}:{fake.api_secret}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {credentials}"
    assert request.json == {
        "to": "48500600700",
        "from": "Optika",
        "channel": "sms",
        "message_type": "text",
        "text": "Your glasses are ready",
        "client_ref": "u1",
        "webhook_url": WEBHOOK,
        "webhook_version": "v1",
    }


def test_sms_ttl_is_the_validity_left_up_to_vonages_72_hours(fake):
    """Protects ``valid_until``: an SMS must not be delivered after it, so Vonage is told how
    long it may try."""
    now = utc_now()
    client(fake, clock=lambda: now).send(
        [
            sms("u1", valid_until=now + timedelta(minutes=15)),
            sms("u2", valid_until=now + timedelta(days=5)),
            sms("u3"),
        ]
    )
    assert [body.get("ttl") for body in sent(fake)] == [900, 72 * 3600, None]


def test_messages_that_cannot_go_are_refused_without_a_call(fake):
    """Protects the vendor account and the user's history: a message without a number, past
    its validity, with a number Vonage would refuse, or too long fails at once."""
    past = utc_now() - timedelta(seconds=1)
    results = client(fake).send(
        [
            sms("u1", number=""),
            sms("u2", valid_until=past),
            sms("u3", number="+0123"),
            sms("u4", body="x" * 1001),
        ]
    )
    assert [r.failure_type for r in results] == [
        "sms_number_missing",
        "sms_expired",
        "sms_number_format",
        "sms_rejected",
    ]
    assert fake.requests == []


# Viber


def test_viber_text_goes_to_the_viber_service_with_its_category(fake):
    """Protects Viber sending: the channel is ``viber_service`` from the service ID, and a
    service message is a ``transaction`` while anything else is a ``promotion``."""
    results = client(fake).send(
        [viber_message("v1", kind="service"), viber_message("v2", kind="advertising")]
    )
    assert [(r.state, r.segments, r.cascade_reference) for r in results] == [
        ("pending", 1, False),
        ("pending", 1, False),
    ]
    first, second = sent(fake)
    assert first == {
        "to": "48500600700",
        "from": "16273",
        "channel": "viber_service",
        "message_type": "text",
        "text": "Your glasses are ready",
        "viber_service": {"category": "transaction"},
        "client_ref": "v1",
        "webhook_url": WEBHOOK,
        "webhook_version": "v1",
    }
    assert second["viber_service"] == {"category": "promotion"}
    assert "failover" not in first


def test_viber_image_button_and_caption_follow_vonages_layouts(fake):
    """Protects rich Viber messages: an image is ``message_type`` image (its text the
    caption) and a button is ``viber_service.action``, as the Messages API models them."""
    client(fake).send(
        [
            viber_message("v1", body="", image_url=IMAGE),
            viber_message("v2", body="-20%", button_text="Shop", button_url=LINK),
            viber_message("v3", body="-20%", image_url=IMAGE, button_text="Shop", button_url=LINK),
        ]
    )
    image, text_button, all_three = sent(fake)
    assert (image["message_type"], image["image"], "text" in image) == (
        "image",
        {"url": IMAGE},
        False,
    )
    assert "action" not in image["viber_service"]
    assert (text_button["message_type"], text_button["text"]) == ("text", "-20%")
    assert text_button["viber_service"]["action"] == {"url": LINK, "text": "Shop"}
    assert all_three["message_type"] == "image"
    assert all_three["image"] == {"url": IMAGE, "caption": "-20%"}
    assert all_three["viber_service"]["action"] == {"url": LINK, "text": "Shop"}


@pytest.mark.parametrize(
    "parts",
    [
        {"body": "-20%", "image_url": IMAGE},  # text and image without a button
        {"body": "-20%", "button_text": "Shop"},  # a button without its link
        {"body": "-20%", "button_text": "x" * 31, "button_url": LINK},
        {"body": "x" * 1001},
        {"body": ""},
    ],
)
def test_viber_layouts_vonage_does_not_take_are_refused_without_a_call(fake, parts):
    """Protects the user from Vonage's 422s: what ``tools.viber`` refuses never goes."""
    [result] = client(fake).send([viber_message(**parts)])
    assert (result.state, result.failure_type) == ("error", "sms_rejected")
    assert fake.requests == []


def test_viber_without_a_service_id_fails_without_a_call(fake):
    """Protects a gateway set up for SMS only from sending Viber with no ``from``."""
    [result] = client(fake, viber_sender=None).send([viber_message()])
    assert (result.failure_type, fake.requests) == ("sms_acc", [])


def test_viber_ttl_is_the_validity_left_within_vonages_bounds(fake):
    """Protects ``valid_until`` on Viber: ``viber_service.ttl`` is the time left, never
    beyond Vonage's 72 hours, and a message with less than Viber's 30 s left is not sent."""
    now = utc_now()
    results = client(fake, clock=lambda: now).send(
        [
            viber_message("v1", valid_until=now + timedelta(minutes=10)),
            viber_message("v2", valid_until=now + timedelta(days=10)),
            viber_message("v3", valid_until=now + timedelta(seconds=20)),
        ]
    )
    assert [body["viber_service"]["ttl"] for body in sent(fake)] == [600, 259200]
    assert results[2].failure_type == "sms_expired"


# Viber then SMS in one request


def test_failover_request_carries_the_sms_and_the_wait_as_viber_ttl(fake):
    """Protects the cascade Vonage runs: the SMS goes in the same request as ``failover``,
    and the wait for Viber is its ``ttl``, after which Vonage rejects it and sends the SMS."""
    now = utc_now()
    [result] = client(fake, clock=lambda: now).send(
        [
            viber_message(
                "v1",
                fallback_body="Glasses ready, see you at Optika",
                fallback_wait=900,
                valid_until=now + timedelta(hours=2),
            )
        ]
    )
    body = sent(fake)[0]
    assert body["viber_service"]["ttl"] == 900
    assert body["failover"] == [
        {
            "to": "48500600700",
            "from": "Optika",
            "channel": "sms",
            "message_type": "text",
            "text": "Glasses ready, see you at Optika",
            "client_ref": "v1",
            "ttl": 7200,
            "webhook_url": WEBHOOK,
            "webhook_version": "v1",
        }
    ]
    assert result.state == "pending" and result.cascade_reference
    assert [r["message_uuid"] for r in fake.workflow(result.cascade_reference)] == [
        result.gateway_reference
    ]


def test_failover_wait_never_outlasts_the_validity_nor_goes_under_30_s(fake):
    """Protects both bounds of the Viber wait: the message's validity and Viber's shortest
    time to live."""
    now = utc_now()
    client(fake, clock=lambda: now).send(
        [
            viber_message(
                "v1",
                fallback_body="SMS",
                fallback_wait=3600,
                valid_until=now + timedelta(minutes=5),
            ),
            viber_message("v2", fallback_body="SMS", fallback_wait=10),
        ]
    )
    assert [body["viber_service"]["ttl"] for body in sent(fake)] == [300, 30]


def test_failover_needs_an_sms_sender(fake):
    """Protects the cascade from a failover Vonage would refuse: no SMS ``from``."""
    [result] = client(fake, sender=None).send([viber_message(fallback_body="SMS")])
    assert (result.failure_type, fake.requests) == ("sms_acc", [])


def test_number_without_viber_gets_the_sms_reported_on_its_own_channel(fake):
    """Protects the cascade's reports: the Viber report fails the Viber attempt, the SMS
    Vonage sent itself is reported as SMS under the workflow, which links it to the Viber
    message, and not under the Viber message's reference."""
    fake.not_viber_users.add("+48500600700")
    [result] = client(fake).send([viber_message("v1", fallback_body="Glasses ready")])
    viber_record, sms_record = fake.workflow(result.cascade_reference)
    assert viber_record["message_uuid"] == result.gateway_reference
    viber_report = report(fake, viber_record["message_uuid"])
    assert (viber_report.channel, viber_report.state, viber_report.failure_type) == (
        VIBER,
        "error",
        "sms_invalid_destination",
    )
    assert viber_report.cascade_reference == result.cascade_reference
    assert viber_report.reference == "v1"
    assert "1300" in viber_report.error_message
    submitted = report(fake, sms_record["message_uuid"])
    assert (submitted.channel, submitted.state, submitted.reference) == (SMS, "pending", None)
    assert submitted.cascade_reference == result.cascade_reference
    assert submitted.cost == pytest.approx(fake.sms_price) and submitted.segments == 1
    fake.advance(sms_record["message_uuid"], "delivered")
    delivered = report(fake, sms_record["message_uuid"])
    assert (delivered.state, delivered.gateway_reference) == ("sent", sms_record["message_uuid"])


def test_viber_not_delivered_in_time_fails_over_and_reports_expiry(fake):
    """Protects the wait: Viber undelivered within its ``ttl`` is rejected as expired and
    Vonage's SMS follows in the same workflow."""
    [result] = client(fake).send([viber_message("v1", fallback_body="SMS", fallback_wait=60)])
    sms_record = fake.expire(result.cascade_reference)
    expired = report(fake, result.gateway_reference)
    assert (expired.state, expired.failure_type) == ("error", "sms_expired")
    assert sms_record["channel"] == "sms" and sms_record["request"]["text"] == "SMS"
    assert report(fake, sms_record["message_uuid"]).cascade_reference == result.cascade_reference


def test_the_report_says_whether_vonage_sends_the_sms_itself(fake):
    """Protects one SMS per notification: Vonage fails over on a rejected message only, so a
    rejected Viber message tells the suite to wait for Vonage's SMS, an undeliverable one that
    no SMS follows unless the suite sends it, and the last message of a workflow never says
    that another follows."""
    fake.not_viber_users.add("+48500600700")
    [rejected] = client(fake).send([viber_message("v1", fallback_body="SMS")])
    first, following = fake.workflow(rejected.cascade_reference)
    assert report(fake, first["message_uuid"]).vendor_falls_back
    fake.advance(following["message_uuid"], "rejected", 1210)
    assert not report(fake, following["message_uuid"]).vendor_falls_back
    [undeliverable] = client(fake).send(
        [viber_message("v2", number="+48500600701", fallback_body="SMS")]
    )
    fake.advance(undeliverable.gateway_reference, "undeliverable")
    assert not report(fake, undeliverable.gateway_reference).vendor_falls_back
    assert len(fake.workflow(undeliverable.cascade_reference)) == 1, "Vonage sent no SMS"


def test_viber_delivered_and_read_are_sent_and_charged(fake):
    """Protects the cascade stopping at Viber: delivered and read are final successes, with
    the price Vonage charges on delivery; no SMS follows."""
    [result] = client(fake).send([viber_message("v1", fallback_body="SMS")])
    assert report(fake, result.gateway_reference).state == "pending"
    fake.advance(result.gateway_reference, "delivered")
    delivered = report(fake, result.gateway_reference)
    assert (delivered.state, delivered.channel, delivered.cost) == ("sent", VIBER, fake.viber_price)
    assert delivered.done_at is not None
    fake.advance(result.gateway_reference, "read")
    assert report(fake, result.gateway_reference).state == "sent"
    assert fake.expire(result.cascade_reference) is None
    assert len(fake.workflow(result.cascade_reference)) == 1


# status webhooks


def test_report_reads_timestamp_error_and_undeliverable(fake):
    """Protects the history's dates and reasons: the timestamp is kept in UTC, and a
    message Vonage could not hand to the provider is not delivered."""
    [result] = client(fake).send([sms("u1")])
    fake.advance(result.gateway_reference, "undeliverable")
    fake.messages[result.gateway_reference]["timestamp"] = "2025-02-03T12:14:25.120Z"
    parsed = report(fake, result.gateway_reference)
    assert (parsed.state, parsed.failure_type, parsed.reference) == (
        "error",
        "sms_not_delivered",
        "u1",
    )
    assert parsed.done_at == datetime(2025, 2, 3, 12, 14, 25, 120000)


@pytest.mark.parametrize(
    "problem, failure_type",
    [("undeliverable", "sms_invalid_destination"), ("forbidden", "sms_not_allowed")],
)
def test_rejections_map_vonage_error_codes(fake, problem, failure_type):
    """Protects the reasons users read: Vonage's error codes become Odoo failure types."""
    fake.number_errors["+48500600709"] = problem
    [result] = client(fake).send([sms("u1", number="+48500600709")])
    assert result.state == "pending"
    assert report(fake, result.gateway_reference).failure_type == failure_type


@pytest.mark.parametrize(
    "workflow",
    [
        {"workflow_id": "WF1", "item_number": "2", "items_total": "2"},
        {"id": "WF1", "item_number": 2, "total_items": 2},
        {"workflow_id": "WF1", "items_number": "2", "items_total": "2"},
    ],
)
def test_every_spelling_of_the_workflow_object_links_the_cascade(fake, workflow):
    """Protects the cascade against the SDKs' disagreement on the ``workflow`` object's keys
    (.NET: ``workflow_id``, Java: ``id``)."""
    payload = {
        "message_uuid": "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
        "to": "48500600700",
        "from": "Optika",
        "timestamp": "2025-02-03T12:14:25Z",
        "status": "delivered",
        "channel": "sms",
        "client_ref": "v1",
        "workflow": workflow,
    }
    body = json.dumps(payload).encode()
    headers = {"Authorization": fake.sign(body)}
    [parsed] = client(fake).parse_report("POST", WEBHOOK, headers, {}, body)
    assert (parsed.cascade_reference, parsed.channel, parsed.reference) == ("WF1", SMS, None)


def test_signed_webhook_is_accepted_and_forged_one_rejected(fake):
    """Protects reports from forgery: only a JWT signed with the signature secret passes."""
    [result] = client(fake).send([sms("u1")])
    assert report(fake, result.gateway_reference).gateway_reference == result.gateway_reference
    url, headers, body = fake.forged_status_callback(result.gateway_reference)
    with pytest.raises(ReportRejected, match="signature"):
        client(fake).parse_report("POST", url, headers, {}, body)


def test_tampered_body_is_rejected(fake):
    """Protects reports from tampering: the body must be the one whose hash Vonage signed."""
    [result] = client(fake).send([sms("u1")])
    fake.advance(result.gateway_reference, "rejected", 1240)
    url, headers, body = fake.status_callback(result.gateway_reference)
    tampered = body.replace(b'"rejected"', b'"delivered"')
    assert tampered != body
    with pytest.raises(ReportRejected, match="body"):
        client(fake).parse_report("POST", url, headers, {}, tampered)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer not-a-jwt"}],
)
def test_unsigned_webhook_is_rejected(fake, headers):
    """Protects reports from callers without the secret: no token, no report."""
    [result] = client(fake).send([sms("u1")])
    url, _headers, body = fake.status_callback(result.gateway_reference)
    with pytest.raises(ReportRejected):
        client(fake).parse_report("POST", url, headers, {}, body)


def test_token_of_another_algorithm_or_account_or_expired_is_rejected(fake):
    """Protects the check itself: ``alg: none`` tokens, another account's webhooks and
    expired tokens are refused."""
    [result] = client(fake).send([sms("u1")])
    url, _headers, body = fake.status_callback(result.gateway_reference)
    claims = {"payload_hash": hashlib.sha256(body).hexdigest()}
    header = fakes._b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    unsigned = f"{header}.{fakes._b64url(json.dumps(claims).encode())}."
    for authorization in (
        f"Bearer {unsigned}",
        fake.sign(body, api_key="other-key"),
        fake.sign(body, exp=1_000_000_000),
    ):
        with pytest.raises(ReportRejected):
            client(fake).parse_report("POST", url, {"Authorization": authorization}, {}, body)


def test_webhook_needs_the_report_address_secret_and_post(fake):
    """Protects the report address: a signed call to another address is not trusted."""
    [result] = client(fake).send([sms("u1")])
    _url, headers, body = fake.status_callback(result.gateway_reference)
    with pytest.raises(ReportRejected):
        client(fake).parse_report(
            "POST", "https://shop.example/sms_notify/report/5/x", headers, {}, body
        )
    with pytest.raises(ReportRejected):
        client(fake).parse_report("GET", WEBHOOK, headers, {}, body)


def test_jwt_check_matches_the_vonage_sdks_test_vector():
    """Protects interoperability: the HS256 check accepts the token the Vonage SDK's own
    ``verify_signature`` tests accept, and refuses it under another secret."""
    token = (
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJPbmxpbmUgSldUIEJ1aWxkZXIiLCJpYXQiOjE2O"
        "Tc2MzQ2ODAsImV4cCI6MzMyNTQ1NDA4MjgsImF1ZCI6IiIsInN1YiI6IiJ9.88vJc3I2HhuqEDixHXVhc9R30tA"
        "6U_HQHZTC29y6CGM"
    )
    claims = vonage.decode_jwt(token, "qwertyuiopasdfghjklzxcvbnm123456")
    assert claims["iss"] == "Online JWT Builder"
    with pytest.raises(ReportRejected):
        vonage.decode_jwt(token, "asdf")


def test_post_status_callback_delivers_the_signed_json(fake):
    """Protects the Odoo tests that post webhooks to a real server with this helper."""
    [result] = client(fake).send([sms("u1")])
    with fakes.FakeVonage() as receiver:
        url, headers, body = fake.status_callback(result.gateway_reference)
        fakes.post_status_callback(receiver.url + "/report", headers, body)
        received = receiver.last_request
    assert (received.method, received.path, received.body) == ("POST", "/report", body)
    assert received.headers["authorization"] == headers["Authorization"]
    assert url == WEBHOOK


# errors


def test_wrong_credentials_are_not_transient(fake):
    """Protects the queue from retrying a refused account forever."""
    with pytest.raises(GatewayError) as caught:
        client(fake, api_secret="wrong").send([sms("u1"), sms("u2")])
    error = caught.value
    assert (error.failure_type, error.transient, error.maybe_sent) == ("sms_acc", False, False)
    assert len(fake.requests) == 1  # the first request went alone and stopped the batch


def test_low_balance_stops_the_batch_as_out_of_credit(fake):
    """Protects the account: out of credit, no further message is attempted."""
    fake.balance = 0.0
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1"), sms("u2")])
    assert (caught.value.failure_type, caught.value.transient) == ("sms_credit", False)
    assert "Low balance" in str(caught.value) and len(fake.requests) == 1


def test_invalid_number_fails_that_message_alone(fake):
    """Protects the rest of a batch from one bad number: a 422 naming ``to`` fails its
    message as a number format error."""
    fake.number_errors["+48500600709"] = "bad_number"
    good, bad = client(fake).send([sms("u1"), sms("u2", number="+48500600709")])
    assert good.state == "pending"
    assert (bad.state, bad.failure_type) == ("error", "sms_number_format")
    assert "Invalid params" in bad.error_message


def test_rate_limit_is_transient_with_retry_after_and_keeps_the_answers(fake):
    """Protects pacing: after a 429 the queue waits ``Retry-After`` and keeps what was sent."""
    fake.fail("rate_limit", after=1)
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1"), sms("u2"), sms("u3")])
    error = caught.value
    assert error.transient and error.retry_after == fake.retry_after and not error.maybe_sent
    assert [r.uuid for r in error.results][0] == "u1" and len(error.results) == 2


def test_server_error_is_transient_and_maybe_sent(fake):
    """Protects against double sending: after a 500 the message may have gone, so it is
    reconciled, not blindly resent."""
    fake.fail("http_500")
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1")])
    assert caught.value.transient and caught.value.maybe_sent


def test_timeout_is_transient_and_maybe_sent(fake):
    """Protects against double sending when Vonage answers too late."""
    fake.fail("slow")
    with pytest.raises(GatewayError) as caught:
        client(fake, timeout=0.2).send([sms("u1")])
    assert caught.value.transient and caught.value.maybe_sent


def test_answer_that_is_not_the_api_is_maybe_sent_and_not_transient(fake):
    """Protects against a wrong address answering 200 with a page: not resent blindly."""
    fake.fail("malformed")
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1")])
    assert caught.value.maybe_sent and not caught.value.transient


# account


def test_balance_and_connection_check(fake):
    """Protects the gateway form's connection test and balance, in EUR."""
    gateway = client(fake)
    assert gateway.fetch_balance() == (10.0, "EUR")
    assert "10.00 EUR" in gateway.test_connection()
    with pytest.raises(GatewayError) as caught:
        client(fake, api_secret="wrong").test_connection()
    assert caught.value.failure_type == "sms_acc" and not caught.value.transient

"""SMS Gateway for Android client against a local server speaking the app's local API."""

import json
import time
from datetime import timedelta

import pytest

from odoo.addons.sms_notify.tools.gateway import GatewayError, OutgoingSms, ReportRejected, utc_now
from odoo.addons.sms_notify.tools.inbound import is_stop_request
from odoo.addons.sms_notify_android.tests.fakes.android import FakeAndroid
from odoo.addons.sms_notify_android.tools import android

SECRET = "hook-secret"
WEBHOOK = f"https://shop.example/sms_notify/report/4/{SECRET}"


def sms(uuid="a" * 32, number="+48500600700", body="Okulary gotowe", **kwargs):
    return OutgoingSms(uuid=uuid, number=number, body=body, **kwargs)


@pytest.fixture
def fake():
    with FakeAndroid() as server:
        yield server


def client(fake=None, **config):
    return android.AndroidClient(
        {
            "base_url": fake.url if fake else "http://127.0.0.1:9",
            "username": "sms",
            "password": "phone-pass",
            "timeout": 2,
            "webhook_url": WEBHOOK,
            "webhook_secret": SECRET,
            **config,
        }
    )


def planned(message, gateway):
    [message] = gateway.plan([message])
    return message


# sending


def test_send_uses_the_uuid_as_message_id_and_one_request_per_message(fake):
    gateway = client(fake, sim_number=2)
    messages = [planned(sms(uuid="u1"), gateway), planned(sms(uuid="u2", body="ż" * 71), gateway)]
    results = gateway.send(messages)
    requests_made = fake.requests_to("/message")
    assert len(requests_made) == 2
    first = requests_made[0]
    assert first.json == {
        "id": "u1",
        "message": "Okulary gotowe",
        "phoneNumbers": ["+48500600700"],
        "withDeliveryReport": True,
        "simNumber": 2,
    }
    assert first.headers["authorization"].startswith("Basic ")
    assert [(r.uuid, r.state, r.gateway_reference, r.segments) for r in results] == [
        ("u1", "pending", "u1", 1),
        ("u2", "pending", "u2", 2),
    ]


def test_plan_chooses_the_uuid_before_sending():
    [message] = client().plan([sms(uuid="u9")])
    assert message.gateway_reference == "u9"


def test_validity_becomes_a_ttl_in_seconds(fake):
    gateway = client(fake)
    gateway.send([sms(valid_until=utc_now() + timedelta(minutes=10))])
    assert 590 <= fake.last_request.json["ttl"] <= 600


def test_expired_message_is_not_sent(fake):
    [result] = client(fake).send([sms(valid_until=utc_now() - timedelta(seconds=1))])
    assert (result.state, result.failure_type) == ("error", "sms_expired")
    assert not fake.requests


def test_resend_after_a_crash_is_a_duplicate_not_a_second_sms(fake):
    gateway = client(fake)
    gateway.send([planned(sms(), gateway)])
    [result] = gateway.send([planned(sms(), gateway)])
    assert result.duplicate and result.state == "pending"
    assert len(fake.messages) == 1


def test_refused_number_fails_only_that_message(fake):
    fake.number_errors["+48500000000"] = "bad_number"
    results = client(fake).send([sms(uuid="u1", number="+48500000000"), sms(uuid="u2")])
    by_uuid = {result.uuid: result for result in results}
    assert by_uuid["u1"].state == "error"
    assert by_uuid["u1"].failure_type == "sms_number_format"
    assert by_uuid["u2"].state == "pending"


def test_bad_credentials_are_permanent(fake):
    with pytest.raises(GatewayError) as raised:
        client(fake, password="wrong").send([sms()])
    assert not raised.value.transient
    assert raised.value.failure_type == "sms_acc"


def test_unreachable_phone_is_transient_and_nothing_was_sent():
    with pytest.raises(GatewayError) as raised:
        client(None).send([sms()])
    error = raised.value
    assert error.transient and not error.maybe_sent
    assert error.device_state == android.DEVICE_UNREACHABLE


def test_rebinding_phone_is_transient_and_says_so(fake):
    fake.rebinding = True
    with pytest.raises(GatewayError) as raised:
        client(fake).send([sms()])
    assert raised.value.transient and not raised.value.maybe_sent
    assert raised.value.device_state == android.DEVICE_REBINDING
    assert client(fake).device_state() == android.DEVICE_REBINDING


def test_timeout_may_have_sent_and_keeps_earlier_results(fake):
    fake.slow_seconds = 1.5
    fake.fail("slow", after=1)
    with pytest.raises(GatewayError) as raised:
        client(fake, timeout=0.5).send([sms(uuid="u1"), sms(uuid="u2")])
    assert raised.value.transient and raised.value.maybe_sent
    assert [result.uuid for result in raised.value.results] == ["u1"]


def test_server_error_and_rate_limit_are_transient(fake):
    fake.fail("http_500")
    with pytest.raises(GatewayError) as raised:
        client(fake).send([sms()])
    assert raised.value.transient and raised.value.maybe_sent
    fake.fail("rate_limit")
    with pytest.raises(GatewayError) as raised:
        client(fake).send([sms(uuid="u3")])
    assert raised.value.transient and raised.value.retry_after == fake.retry_after


# states


@pytest.mark.parametrize(
    ("app_state", "expected"),
    [
        ("Pending", ("pending", False)),
        ("Processed", ("pending", False)),
        ("Sent", ("pending", False)),
        ("Delivered", ("sent", False)),
        ("Failed", ("error", "sms_not_delivered")),
        ("Cancelled", ("canceled", False)),
    ],
)
def test_app_states_map_onto_sms_states(app_state, expected):
    assert android.to_state(app_state) == expected


def test_failure_reason_chooses_the_failure_type():
    assert android.to_state("Failed", "Message expired")[1] == "sms_expired"


def test_fetch_status_and_find_sent_ask_the_phone(fake):
    gateway = client(fake)
    gateway.send([planned(sms(uuid="u1"), gateway)])
    fake.progress("u1", "Delivered", post=lambda *args: None)
    [report] = gateway.fetch_status(["u1", "unknown"])
    assert (report.gateway_reference, report.state) == ("u1", "sent")
    assert report.done_at is not None
    found = gateway.find_sent([planned(sms(uuid="u1"), gateway), planned(sms(uuid="u2"), gateway)])
    assert [(report.reference, report.state) for report in found] == [("u1", "sent")]


def test_connection_check_reads_health_and_credentials(fake):
    assert "Connected" in client(fake).test_connection()
    with pytest.raises(GatewayError):
        client(fake, password="wrong").test_connection()
    fake.rebinding = True
    with pytest.raises(GatewayError) as raised:
        client(fake).test_connection()
    assert raised.value.device_state == android.DEVICE_REBINDING


def test_register_webhooks_replaces_earlier_ones(fake):
    gateway = client(fake)
    url = "https://shop.example/sms_notify/report/4/secret"
    gateway.register_webhooks(url)
    gateway.register_webhooks(url)
    assert sorted(hook["event"] for hook in fake.webhooks.values()) == sorted(
        android.WEBHOOK_EVENTS
    )


def test_register_webhooks_refused_for_plain_http_address(fake):
    with pytest.raises(GatewayError, match="https"):
        client(fake).register_webhooks("http://shop.example/report")


# webhooks


def webhook(fake, event_call):
    [(url, body, headers)] = event_call
    return url, body, headers


def sent_and_hooked(fake, signing_key=None):
    fake.signing_key = signing_key
    gateway = client(fake, signing_key=signing_key)
    gateway.send([planned(sms(uuid="u1"), gateway)])
    gateway.register_webhooks(WEBHOOK)
    return gateway


def test_delivered_webhook_becomes_a_report(fake):
    gateway = sent_and_hooked(fake)
    [(url, body, headers)] = fake.progress("u1", "Delivered", post=lambda *call: call)
    [report] = gateway.parse_report("POST", url, headers, {}, body)
    assert (report.gateway_reference, report.reference, report.state) == ("u1", "u1", "sent")


def test_failed_webhook_keeps_the_reason(fake):
    gateway = sent_and_hooked(fake)
    [(url, body, headers)] = fake.progress("u1", "Failed", post=lambda *call: call)
    [report] = gateway.parse_report("POST", url, headers, {}, body)
    assert (report.state, report.failure_type) == ("error", "sms_not_delivered")
    assert "RESULT_ERROR_GENERIC_FAILURE" in report.error_message


def test_webhook_without_the_secret_is_rejected(fake):
    gateway = sent_and_hooked(fake)
    [(_url, body, headers)] = fake.progress("u1", "Sent", post=lambda *call: call)
    with pytest.raises(ReportRejected):
        gateway.parse_report(
            "POST", "https://shop.example/sms_notify/report/4/x", headers, {}, body
        )


def test_signed_webhook_is_checked_when_a_key_is_set(fake):
    gateway = sent_and_hooked(fake, signing_key="sign-me")
    [(url, body, headers)] = fake.progress("u1", "Delivered", post=lambda *call: call)
    assert gateway.parse_report("POST", url, headers, {}, body)
    forged = json.loads(body)
    forged["payload"]["messageId"] = "other"
    with pytest.raises(ReportRejected, match="signature"):
        gateway.parse_report("POST", url, headers, {}, json.dumps(forged).encode())
    with pytest.raises(ReportRejected, match="not signed"):
        gateway.parse_report("POST", url, {}, {}, body)
    old = str(int(time.time()) - 3600)
    stale = {"X-Timestamp": old, "X-Signature": android.signature("sign-me", body, old)}
    with pytest.raises(ReportRejected, match="too old"):
        gateway.parse_report("POST", url, stale, {}, body)


def test_received_sms_is_inbound_not_a_report(fake):
    gateway = sent_and_hooked(fake)
    [(url, body, headers)] = fake.receive("+48500600700", "STOP", post=lambda *call: call)
    assert gateway.parse_report("POST", url, headers, {}, body) == []
    [inbound] = gateway.parse_inbound("POST", url, headers, {}, body)
    assert (inbound.number, inbound.body) == ("+48500600700", "STOP")
    assert inbound.received_at is not None


def test_a_body_that_is_not_a_webhook_is_rejected():
    with pytest.raises(ReportRejected):
        client().parse_report("POST", WEBHOOK, {}, {}, b"<html>")


# replies asking to stop


@pytest.mark.parametrize(
    "text", ["STOP", "stop", " Stop! ", "СТОП", "стоп пожалуйста", "Отписаться", "NIE", "nie."]
)
def test_stop_requests(text):
    assert is_stop_request(text)


@pytest.mark.parametrize(
    "text", ["", "Nie mogę przyjść jutro", "Спасибо, буду в 5", "Don't stop", "stopper"]
)
def test_ordinary_replies_are_not_stop_requests(text):
    assert not is_stop_request(text)

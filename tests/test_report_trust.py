"""Delivery reports: the state rule, matching numbers in any spelling, masked secrets and
bounded payloads."""

import json
import logging

import pytest

from odoo.addons.sms_notify.tests.fakes import twilio as twilio_fakes
from odoo.addons.sms_notify.tests.fakes.smsapi import FakeSmsapi
from odoo.addons.sms_notify.tools import smsapi, twilio, webhook_log
from odoo.addons.sms_notify.tools.gateway import (
    BadReport,
    ReportRejected,
    number_digits,
    numbered_reference_key,
)
from odoo.addons.sms_notify.tools.states import FINAL_STATES, may_move
from odoo.addons.sms_notify_android.tests.fakes.android import FakeAndroid
from odoo.addons.sms_notify_android.tools import android

SECRET = "s3cr3t-token"
WEBHOOK = f"https://shop.example/sms_notify/report/4/{SECRET}"

# the state rule


@pytest.mark.parametrize(
    "old, new",
    [
        ("outgoing", "process"),
        ("outgoing", "pending"),
        ("process", "pending"),
        ("process", "sent"),
        ("pending", "sent"),
        ("pending", "error"),
        ("pending", "canceled"),
    ],
)
def test_a_message_moves_forward(old, new):
    assert may_move(old, new)


@pytest.mark.parametrize(
    "old, new",
    [
        ("pending", "process"),
        ("pending", "outgoing"),
        ("process", "outgoing"),
        ("pending", "pending"),
        ("sent", "error"),
        ("error", "sent"),
        ("canceled", "pending"),
        ("sent", "sent"),
        ("pending", "delivered"),
        ("unknown", "sent"),
    ],
)
def test_a_message_never_moves_back_nor_out_of_a_final_state(old, new):
    assert not may_move(old, new)


def test_no_final_state_ever_changes():
    states = ("outgoing", "process", "pending", "sent", "error", "canceled")
    assert all(not may_move(old, new) for old in FINAL_STATES for new in states)


# numbers in any spelling


@pytest.mark.parametrize(
    "spelling", ["+79123456789", "79123456789", "+7 912 345-67-89", "7 (912) 345 67 89"]
)
def test_every_spelling_of_a_number_has_the_same_digits(spelling):
    assert number_digits(spelling) == "79123456789"


def test_numbered_reference_keys_match_whatever_the_phone_spelling():
    ours = "1145946053:+79123456789"
    assert numbered_reference_key(ours) == numbered_reference_key("1145946053:79123456789")
    assert numbered_reference_key(ours) == numbered_reference_key("1145946053:+7 912 345-67-89")
    assert numbered_reference_key(ours) != numbered_reference_key("1145946053:79123456780")
    assert numbered_reference_key(ours) != numbered_reference_key("1145946054:79123456789")


@pytest.mark.parametrize("gateway_reference", ["SM" + "a" * 32, "a1b2", "uuid-1:x", "", None])
def test_other_gateway_references_are_keys_as_they_are(gateway_reference):
    assert numbered_reference_key(gateway_reference) == (gateway_reference or "")


# secrets in the access log


def test_the_webhook_secret_is_masked_in_request_lines():
    line = f'"POST /sms_notify/report/4/{SECRET}?x=1 HTTP/1.1" 200 -'
    masked = webhook_log.mask_webhook_secrets(line)
    assert SECRET not in masked
    assert masked == '"POST /sms_notify/report/4/***?x=1 HTTP/1.1" 200 -'
    assert webhook_log.mask_webhook_secrets("GET /web/login HTTP/1.1") == "GET /web/login HTTP/1.1"


def test_the_filter_masks_the_record_before_any_handler_formats_it():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - [date] "%s" %s %s',
        ("127.0.0.1", f"POST /sms_notify/report/4/{SECRET} HTTP/1.1", "200", "-"),
        None,
    )
    assert webhook_log.WebhookSecretFilter().filter(record)
    assert SECRET not in record.getMessage()
    assert "/sms_notify/report/4/*** HTTP/1.1" in record.getMessage()


def test_installing_twice_adds_one_filter():
    logger = logging.getLogger("sms_notify_test_requests")
    webhook_log.install(("sms_notify_test_requests",))
    webhook_log.install(("sms_notify_test_requests",))
    assert sum(isinstance(f, webhook_log.WebhookSecretFilter) for f in logger.filters) == 1


# oversized payloads are bad reports, for every vendor


@pytest.fixture
def smsapi_fake():
    with FakeSmsapi() as server:
        yield server


@pytest.mark.parametrize(
    "field, value",
    [("MsgId", "a" * 65), ("idx", "u" * 65), ("status", "4" * 40), ("to", "4" * 2000)],
)
def test_smsapi_callback_with_an_oversized_field_is_a_bad_report(smsapi_fake, field, value):
    gateway = smsapi.SmsapiClient(
        {"base_url": smsapi_fake.url, "token": "t", "webhook_secret": SECRET}
    )
    params = {"MsgId": "a1", "status": "404", "idx": "u1", field: value}
    with pytest.raises(BadReport):
        gateway.parse_report("GET", WEBHOOK, {}, params)


@pytest.mark.parametrize(
    "field, value",
    [("MessageSid", "SM" + "a" * 70), ("To", "+1" + "5" * 40), ("ErrorCode", "3" * 20)],
)
def test_twilio_callback_with_an_oversized_field_is_a_bad_report(field, value):
    token = "auth-token"
    gateway = twilio.TwilioClient({"account_sid": "AC1", "auth_token": token})
    params = {
        "AccountSid": "AC1",
        "MessageSid": "SM" + "a" * 32,
        "MessageStatus": "delivered",
        field: value,
    }
    url = "https://shop.example/sms_notify/report/4/x"
    headers = {"X-Twilio-Signature": twilio_fakes.compute_signature(token, url, params)}
    with pytest.raises(BadReport):
        gateway.parse_report("POST", url, headers, params)


@pytest.fixture
def android_fake():
    with FakeAndroid() as server:
        yield server


def android_call(fake, event, payload):
    gateway = android.AndroidClient(
        {
            "base_url": fake.url,
            "username": fake.username,
            "password": fake.password,
            "webhook_secret": SECRET,
            "webhook_url": WEBHOOK,
        }
    )
    gateway.register_webhooks(WEBHOOK)
    [(url, body, headers)] = fake.webhook_calls(event, payload)
    return gateway, url, body, headers


def test_android_report_with_an_oversized_message_id_is_a_bad_report(android_fake):
    gateway, url, body, headers = android_call(
        android_fake, "sms:delivered", {"messageId": "m" * 65, "phoneNumber": "+48500600700"}
    )
    with pytest.raises(BadReport):
        gateway.parse_report("POST", url, headers, {}, body)


def test_android_inbound_sms_from_an_oversized_number_is_a_bad_report(android_fake):
    gateway, url, body, headers = android_call(
        android_fake, "sms:received", {"messageId": "in-1", "message": "Hi", "sender": "5" * 40}
    )
    with pytest.raises(BadReport):
        gateway.parse_inbound("POST", url, headers, {}, body)


def test_android_oversized_body_is_a_bad_report(android_fake):
    gateway, url, _body, headers = android_call(
        android_fake, "sms:delivered", {"messageId": "m1", "phoneNumber": "+48500600700"}
    )
    body = json.dumps({"event": "sms:delivered", "payload": {"x": "y" * 70000}}).encode()
    with pytest.raises(BadReport):
        gateway.parse_report("POST", url, headers, {}, body)


def test_a_bad_report_is_a_rejected_report():
    # callers that only know ReportRejected still refuse it
    assert issubclass(BadReport, ReportRejected)

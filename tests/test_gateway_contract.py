"""The extended gateway contract and the shared HTTP helper."""

import socket
from datetime import datetime, timedelta, timezone
from email.utils import formatdate

import pytest

from odoo.addons.sms_notify.tools import serwersms, smsapi, smsc, twilio
from odoo.addons.sms_notify.tools.gateway import (
    FAILURE_TYPES,
    SMS_STATES,
    DeliveryReport,
    GatewayClient,
    GatewayError,
    OutgoingSms,
    ReportRejected,
    SendResult,
    check_url_secret,
    get_client_class,
    seconds_left,
)
from odoo.addons.sms_notify.tools.http_client import HttpClient, parse_retry_after


def test_http_gateway_types_are_registered():
    assert get_client_class("smsc") is smsc.SmscClient
    assert get_client_class("smsapi") is smsapi.SmsapiClient
    assert get_client_class("serwersms") is serwersms.SerwersmsClient
    assert get_client_class("twilio") is twilio.TwilioClient


#: nothing listens there: a client that tried to call it would fail the test
UNREACHABLE = {"base_url": "http://127.0.0.1:9", "timeout": 0.5, "token": "t", "login": "l"}
HTTP_CLIENTS = [
    smsc.SmscClient,
    smsapi.SmsapiClient,
    serwersms.SerwersmsClient,
    twilio.TwilioClient,
]


@pytest.mark.parametrize("client_class", HTTP_CLIENTS)
def test_message_without_number_fails_without_calling_the_vendor(client_class):
    [result] = client_class(UNREACHABLE).send([OutgoingSms("u1", "", "Hi")])
    assert (result.state, result.failure_type) == ("error", "sms_number_missing")


@pytest.mark.parametrize("client_class", HTTP_CLIENTS)
def test_message_past_its_validity_fails_without_calling_the_vendor(client_class):
    past = datetime.now(timezone.utc) - timedelta(minutes=5)
    [result] = client_class(UNREACHABLE).send(
        [OutgoingSms("u1", "+48500600700", "Hi", valid_until=past)]
    )
    assert (result.state, result.failure_type) == ("error", "sms_expired")


def _mapped_outcomes():
    """Every (state, failure type) or failure type the vendor tables can produce."""
    yield from smsc.SEND_ERROR_FAILURES.values()
    yield from (failure for _state, failure, _text in smsc.STATUSES.values())
    yield from smsapi.GROUP_FAILURES.values()
    yield from (failure for _state, failure in smsapi.STATES.values())
    yield from serwersms.REQUEST_FAILURES.values()
    yield from serwersms.MESSAGE_FAILURES.values()
    yield from serwersms.REASON_FAILURES.values()
    yield from twilio.CREATE_FAILURES.values()
    yield from twilio.DELIVERY_FAILURES.values()


def test_vendor_tables_only_produce_odoo_failure_types_and_states():
    unknown = {
        failure for failure in _mapped_outcomes() if failure and failure not in FAILURE_TYPES
    }
    assert not unknown
    states = {state for state, _failure, _text in smsc.STATUSES.values()}
    states |= {state for state, _failure in smsapi.STATES.values()}
    states |= set(serwersms.STATES.values()) | set(twilio.STATES.values())
    assert states <= SMS_STATES


def test_reference_defaults_to_the_uuid():
    assert OutgoingSms("u1", "+48500600700", "Hi").reference == "u1"
    assert OutgoingSms("u1", "+48500600700", "Hi", reference="r9").reference == "r9"


def test_existing_positional_construction_still_works():
    message = OutgoingSms("u1", "+48500600700", "Hi")
    assert (message.sender, message.valid_until) == (None, None)
    error = GatewayError("no credit", "sms_credit")
    assert (error.failure_type, error.transient, error.maybe_sent, error.results) == (
        "sms_credit",
        False,
        False,
        [],
    )
    assert SendResult(uuid="u1", state="pending").duplicate is False


def test_delivery_report_speaks_sms_states_only():
    with pytest.raises(ValueError, match="not an sms.sms state"):
        DeliveryReport(gateway_reference="1", state="delivered")
    with pytest.raises(ValueError, match="failure type"):
        DeliveryReport(gateway_reference="1", state="error")
    assert DeliveryReport(gateway_reference="1", state="sent").is_final
    assert not DeliveryReport(gateway_reference="1", state="pending").is_final


def test_optional_client_methods_say_they_are_not_supported():
    client = GatewayClient({})
    assert client.fetch_balance() is None
    for call in (
        lambda: client.fetch_status(["1"]),
        lambda: client.find_sent([]),
        client.test_connection,
        lambda: client.parse_report("POST", "https://x", {}, {}),
    ):
        with pytest.raises(NotImplementedError):
            call()
    assert (client.supports_webhook, client.supports_status_query) == (False, False)
    assert GatewayClient({"timeout": "2.5"}).timeout == 2.5


def test_seconds_left_treats_naive_as_utc_and_converts_aware():
    now = datetime(2024, 5, 1, 12, 0, 0)
    assert seconds_left(None, now) is None
    assert seconds_left(datetime(2024, 5, 1, 13, 0, 0), now) == 3600
    warsaw_summer = timezone(timedelta(hours=2))
    assert seconds_left(datetime(2024, 5, 1, 15, 0, 0, tzinfo=warsaw_summer), now) == 3600
    assert seconds_left(datetime(2024, 5, 1, 12, 0, 0, 900000), now) == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://shop.example/sms_notify/report/3/tok-123",
        "https://shop.example/sms_notify/report/3?token=tok-123",
        "https://shop.example/sms_notify/report/3/tok-123?sms_ref=u1",
    ],
)
def test_url_secret_is_found_in_the_path_or_the_query(url):
    check_url_secret(url, "tok-123")


@pytest.mark.parametrize(
    "url, secret",
    [
        ("https://shop.example/sms_notify/report/3/tok-12", "tok-123"),
        ("https://shop.example/sms_notify/report/3/tok-1234", "tok-123"),
        ("https://shop.example/sms_notify/report/tok-123", ""),
        ("https://shop.example/sms_notify/report/tok-123", None),
    ],
)
def test_url_secret_must_match_exactly_and_exist(url, secret):
    with pytest.raises(ReportRejected):
        check_url_secret(url, secret)


def test_retry_after_accepts_seconds_and_http_dates():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(formatdate(1_000_060, usegmt=True), now=1_000_000) == 60
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_refused_connection_is_transient_and_nothing_was_sent():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # nothing listens on the port any more
    with pytest.raises(GatewayError) as caught:
        HttpClient(f"http://127.0.0.1:{port}", timeout=1).request("GET", "x")
    assert caught.value.transient and not caught.value.maybe_sent


def test_invalid_base_url_is_not_transient():
    with pytest.raises(GatewayError) as caught:
        HttpClient("smsc.ru", timeout=1).request("GET", "sys/send.php")
    assert not caught.value.transient

"""SMSAPI client against a local server speaking SMSAPI's HTTP API."""

import calendar
from datetime import datetime, timedelta

import pytest

from odoo.addons.sms_notify.tests.fakes.smsapi import FakeSmsapi
from odoo.addons.sms_notify.tools import smsapi
from odoo.addons.sms_notify.tools.gateway import GatewayError, OutgoingSms, ReportRejected, utc_now

SECRET = "s3cr3t-token"
WEBHOOK = f"https://shop.example/sms_notify/report/3?token={SECRET}"


def sms(uuid="u1", number="+48500600700", body="Your glasses are ready", **kwargs):
    return OutgoingSms(uuid=uuid, number=number, body=body, **kwargs)


@pytest.fixture
def fake():
    with FakeSmsapi() as server:
        yield server


def client(fake, **config):
    return smsapi.SmsapiClient(
        {
            "base_url": fake.url,
            "token": "smsapi-token",
            "timeout": 2,
            "webhook_url": WEBHOOK,
            "webhook_secret": SECRET,
            **config,
        }
    )


def test_send_returns_gateway_reference_segments_and_cost(fake):
    [result] = client(fake, sender="Optyk").send([sms(body="ż" * 71)])
    assert (result.state, result.segments, result.cost) == ("pending", 2, 0.32)
    assert result.gateway_reference in fake.messages
    request = fake.last_request
    assert request.headers["authorization"] == "Bearer smsapi-token"
    form = request.form
    assert (form["format"], form["encoding"], form["details"]) == ("json", "utf-8", "1")
    assert (form["to"], form["from"], form["notify_url"]) == ("+48500600700", "Optyk", WEBHOOK)


def test_same_text_is_sent_in_one_request_with_idx_per_number(fake):
    results = client(fake).send([sms("u1"), sms("u2", number="+48500600701"), sms("u3", body="B")])
    assert len(fake.requests_to("/sms.do")) == 2
    first = fake.requests_to("/sms.do")[0].form
    assert (first["to"], first["idx"], first["check_idx"]) == (
        "+48500600700,+48500600701",
        "u1|u2",
        "1",
    )
    by_uuid = {result.uuid: result for result in results}
    assert fake.messages[by_uuid["u2"].gateway_reference]["number"] == "48500600701"
    assert len({result.gateway_reference for result in results}) == 3


def test_answers_without_idx_are_matched_by_number(fake):
    fake.echo_idx = False
    results = client(fake).send([sms("u1"), sms("u2", number="+48500600701")])
    assert [fake.messages[r.gateway_reference]["idx"] for r in results] == ["u1", "u2"]


def test_resending_a_message_smsapi_holds_answers_a_duplicate(fake):
    gateway = client(fake)
    [first] = gateway.send([sms("u1")])
    # the engine crashed before storing the answer and sends again with a new message
    again = gateway.send([sms("u1"), sms("u2", number="+48500600701")])
    by_uuid = {result.uuid: result for result in again}
    assert by_uuid["u1"].duplicate and by_uuid["u1"].state == "pending"
    assert not by_uuid["u1"].gateway_reference and "already" in by_uuid["u1"].error_message
    assert not by_uuid["u2"].duplicate and by_uuid["u2"].gateway_reference
    assert len(fake.messages) == 2, "the duplicate must not have been sent twice"
    # its delivery report names the reference, which links it to the message
    [report] = gateway.fetch_status([first.gateway_reference])
    assert report.reference == "u1"


@pytest.mark.parametrize(
    "problem, vendor_text",
    [("bad_number", "Invalid number"), ("forbidden", "Number is on the blacklist")],
)
def test_refused_number_fails_alone_with_smsapi_text(fake, problem, vendor_text):
    fake.number_errors["+48500000001"] = problem
    good, bad = client(fake).send([sms("u1"), sms("u2", number="+48500000001")])
    assert good.state == "pending"
    assert (bad.state, bad.failure_type) == ("error", "sms_invalid_destination")
    assert vendor_text in bad.error_message


def test_request_without_a_valid_number_fails_every_message(fake):
    fake.number_errors["+48500000001"] = "bad_number"
    [bad] = client(fake).send([sms("u1", number="+48500000001")])
    assert bad.failure_type == "sms_invalid_destination"


def test_missing_points_fail_with_credit_error(fake):
    fake.points = 0.1
    [result] = client(fake).send([sms()])
    assert (result.failure_type, result.error_message) == (
        "sms_credit",
        "SMSAPI error 103: Not enough points to send messages",
    )


def test_refused_sender_is_not_allowed(fake):
    fake.forbidden_senders.add("FREE")
    [result] = client(fake).send([sms(sender="FREE")])
    assert result.failure_type == "sms_not_allowed" and "Invalid sender" in result.error_message


def test_bad_token_is_not_transient(fake):
    with pytest.raises(GatewayError) as caught:
        client(fake, token="wrong").send([sms()])
    assert not caught.value.transient and caught.value.failure_type == "sms_acc"


def test_failure_in_a_later_request_keeps_earlier_results(fake):
    fake.fail("http_500", after=1)
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1"), sms("u2", body="Other text")])
    assert [result.uuid for result in caught.value.results] == ["u1"]


def test_expiration_date_comes_from_valid_until_within_smsapi_limits(fake):
    now = utc_now().replace(microsecond=0)
    epoch = calendar.timegm(now.timetuple())
    client(fake, clock=lambda: now).send(
        [
            sms("u1", valid_until=now + timedelta(hours=3)),
            sms("u2", body="B", valid_until=now + timedelta(minutes=20)),
            sms("u3", body="C", valid_until=now + timedelta(days=2)),
            sms("u4", body="D"),
        ]
    )
    expirations = [r.form.get("expiration_date") for r in fake.requests_to("/sms.do")]
    assert expirations == [str(epoch + 3 * 3600), str(epoch + 3600), str(epoch + 12 * 3600), None]


def test_message_whose_validity_is_over_is_not_sent(fake):
    [result] = client(fake).send([sms(valid_until=utc_now() - timedelta(minutes=1))])
    assert result.failure_type == "sms_expired"
    assert fake.requests == []


def test_status_query_maps_smsapi_states(fake):
    results = client(fake).send([sms(f"u{i}", number=f"+4850060070{i}") for i in range(5)])
    ids = [result.gateway_reference for result in results]
    for message_id, status in zip(
        ids, ("DELIVERED", "EXPIRED", "SENT", "REJECTED", "STOP"), strict=True
    ):
        fake.set_status(message_id, status)
    reports = {report.gateway_reference: report for report in client(fake).fetch_status(ids)}
    assert [(reports[i].state, reports[i].failure_type) for i in ids] == [
        ("sent", False),
        ("error", "sms_expired"),
        ("pending", False),
        ("error", "sms_rejected"),
        ("canceled", False),
    ]
    assert [reports[i].reference for i in ids] == [f"u{i}" for i in range(5)]
    assert fake.last_request.query["status"] == ",".join(ids)


def test_callback_with_the_secret_gives_reports(fake):
    [result] = client(fake).send([sms()])
    fake.set_status(result.gateway_reference, "DELIVERED")
    params = fake.status_callback(result.gateway_reference, done_at=1_700_000_000)
    [report] = client(fake).parse_report("GET", WEBHOOK + "&" + "x=1", {}, params)
    assert (report.gateway_reference, report.state, report.reference) == (
        result.gateway_reference,
        "sent",
        "u1",
    )
    assert report.done_at == datetime(2023, 11, 14, 22, 13, 20) and report.cost == 0.16


def test_callback_may_carry_several_reports(fake):
    params = {"MsgId": "a1,a2", "status": "404,402", "idx": "u1,u2", "donedate": "1,2"}
    delivered, expired = client(fake).parse_report("GET", WEBHOOK, {}, params)
    assert (delivered.state, expired.failure_type) == ("sent", "sms_expired")
    assert (delivered.reference, expired.reference) == ("u1", "u2")


def test_callback_without_the_secret_is_rejected(fake):
    params = {"MsgId": "a1", "status": "404", "idx": "u1"}
    with pytest.raises(ReportRejected):
        client(fake).parse_report("GET", "https://shop.example/report?token=guess", {}, params)


def test_callback_that_is_not_a_report_is_rejected(fake):
    with pytest.raises(ReportRejected):
        client(fake).parse_report("GET", WEBHOOK, {}, {"MsgId": "a1", "status": "DELIVERED"})


def test_balance_and_connection_check(fake):
    gateway = client(fake)
    assert gateway.fetch_balance() == (100.0, "PLN")
    assert "100.00 PLN" in gateway.test_connection()
    assert fake.last_request.path == "/user.do"

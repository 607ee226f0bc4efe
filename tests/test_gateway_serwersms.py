"""SerwerSMS.pl client against a local server speaking its HTTPS API v2."""

from datetime import datetime, timedelta, timezone

import pytest

from odoo.addons.sms_notify.tests.fakes.serwersms import FakeSerwersms
from odoo.addons.sms_notify.tools import serwersms
from odoo.addons.sms_notify.tools.gateway import GatewayError, OutgoingSms, utc_now


def sms(uuid="sms1", number="+48500600700", body="Twoje okulary są gotowe", **kwargs):
    return OutgoingSms(uuid=uuid, number=number, body=body, **kwargs)


@pytest.fixture
def fake():
    with FakeSerwersms() as server:
        yield server


def client(fake, **config):
    return serwersms.SerwersmsClient(
        {"base_url": fake.url, "token": "serwersms-token", "timeout": 2, **config}
    )


def test_send_returns_gateway_reference_and_parts(fake):
    [result] = client(fake, sender="OPTYK").send([sms(body="ą" * 71)])
    assert (result.state, result.segments) == ("pending", 2)
    assert result.gateway_reference in fake.messages
    request = fake.last_request
    assert request.path == "/messages/send_sms.json"
    assert request.headers["authorization"] == "Bearer serwersms-token"
    assert request.json == {
        "phone": ["+48500600700"],
        "text": "ą" * 71,
        "unique_id": ["sms1"],
        "details": True,
        "sender": "OPTYK",
        "utf": True,
    }


def test_without_sender_the_message_goes_as_eco_without_utf(fake):
    client(fake).send([sms(body="Okulary gotowe")])
    body = fake.last_request.json
    assert "sender" not in body and "utf" not in body
    assert fake.messages[next(iter(fake.messages))]["type"] == "eco"


def test_login_and_password_replace_the_token(fake):
    [result] = client(fake, token=None, login="api_user", password="api_pass").send([sms()])
    assert result.state == "pending"
    body = fake.last_request.json
    assert (body["username"], body["password"]) == ("api_user", "api_pass")


def test_same_text_is_sent_in_one_request_with_a_unique_id_per_number(fake):
    results = client(fake).send([sms("sms1"), sms("sms2", number="+48500600701")])
    [request] = fake.requests
    assert request.json["phone"] == ["+48500600700", "+48500600701"]
    assert request.json["unique_id"] == ["sms1", "sms2"]
    assert [fake.messages[r.gateway_reference]["unique_id"] for r in results] == ["sms1", "sms2"]


def test_reference_not_accepted_as_unique_id_is_hashed():
    assert serwersms.unique_id("abc123") == "abc123"
    hashed = serwersms.unique_id("3f2b-41a0")
    assert hashed.isalnum() and 3 <= len(hashed) <= 50


@pytest.mark.parametrize(
    "problem, failure_type, vendor_text",
    [
        ("bad_number", "sms_number_format", "Nieprawidlowy numer odbiorcy"),
        ("forbidden", "sms_rejected", "czarnej liscie"),
    ],
)
def test_refused_number_fails_alone_with_serwersms_text(fake, problem, failure_type, vendor_text):
    fake.number_errors["+48500000001"] = problem
    good, bad = client(fake).send([sms("sms1"), sms("sms2", number="+48500000001")])
    assert good.state == "pending"
    assert (bad.state, bad.failure_type) == ("error", failure_type)
    assert vendor_text in bad.error_message


def test_refused_sender_or_text_is_reported_per_message(fake):
    fake.forbidden_senders.add("FREE")
    fake.forbidden_words.add("kasyno")
    by_sender, by_text = client(fake).send(
        [sms("sms1", sender="FREE"), sms("sms2", body="Zapraszamy do kasyno")]
    )
    assert (by_sender.failure_type, by_text.failure_type) == ("sms_not_allowed", "sms_rejected")


def test_exhausted_limit_fails_the_request_with_credit_error(fake):
    fake.limits["full"] = 0
    [result] = client(fake, sender="OPTYK").send([sms()])
    assert result.failure_type == "sms_credit"
    assert "3002" in result.error_message and "FULL" in result.error_message


def test_bad_token_is_not_transient(fake):
    with pytest.raises(GatewayError) as caught:
        client(fake, token="wrong").send([sms()])
    assert not caught.value.transient and caught.value.failure_type == "sms_acc"
    assert "Incorrect login or password" in str(caught.value)


def test_message_whose_validity_is_over_is_not_sent(fake):
    over, live = client(fake).send(
        [
            sms("sms1", valid_until=utc_now() - timedelta(seconds=5)),
            sms("sms2", valid_until=utc_now() + timedelta(hours=1)),
        ]
    )
    assert (over.failure_type, live.state) == ("sms_expired", "pending")
    assert fake.last_request.json["unique_id"] == ["sms2"]


def test_status_query_maps_serwersms_states_and_reasons(fake):
    results = client(fake).send([sms(f"sms{i}", number=f"+4850060070{i}") for i in range(4)])
    ids = [result.gateway_reference for result in results]
    delivered_at = datetime(2024, 7, 1, 12, 0).timestamp()
    fake.set_status(ids[0], "delivered", at=delivered_at)
    fake.set_status(ids[1], "undelivered", reason="message_expired")
    fake.set_status(ids[2], "sent")
    fake.set_status(ids[3], "undelivered", reason="wrong_number")
    reports = {report.gateway_reference: report for report in client(fake).fetch_status(ids)}
    assert [(reports[i].state, reports[i].failure_type) for i in ids] == [
        ("sent", False),
        ("error", "sms_expired"),
        ("pending", False),
        ("error", "sms_number_format"),
    ]
    # the vendor's Polish local time comes back as naive UTC
    assert reports[ids[0]].done_at == datetime.fromtimestamp(delivered_at, timezone.utc).replace(
        tzinfo=None
    )
    assert fake.last_request.json["id"] == ids


def test_find_sent_looks_messages_up_by_unique_id(fake):
    gateway = client(fake)
    [sent] = gateway.send([sms("sms1")])
    reports = gateway.find_sent([sms("sms1"), sms("sms2", number="+48500600701")])
    assert [(r.reference, r.gateway_reference, r.state) for r in reports] == [
        ("sms1", sent.gateway_reference, "process")
    ]
    assert [r.json.get("unique_id") for r in fake.requests_to("/messages/reports.json")] == [
        "sms1",
        "sms2",
    ]


def test_balance_is_the_message_limit_of_the_type_sent(fake):
    fake.limits.update(eco=40, full=12)
    assert client(fake).fetch_balance() == (40.0, "SMS")
    assert client(fake, sender="OPTYK").fetch_balance() == (12.0, "SMS")
    assert "FULL messages left: 12" in client(fake, sender="OPTYK").test_connection()

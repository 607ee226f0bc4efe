"""SMSC.ru client against a local server speaking SMSC's HTTP API."""

from datetime import datetime, timedelta, timezone

import pytest

from sms_notify.tests.fakes.smsc import FakeSmsc
from sms_notify.tools import smsc
from sms_notify.tools.gateway import GatewayError, OutgoingSms, ReportRejected, utc_now

SECRET = "s3cr3t-token"


def sms(uuid="u1", number="+79123456789", body="Your glasses are ready", **kwargs):
    return OutgoingSms(uuid=uuid, number=number, body=body, **kwargs)


@pytest.fixture
def fake():
    with FakeSmsc() as server:
        yield server


def client(fake, **config):
    return smsc.SmscClient(
        {
            "base_url": fake.url,
            "login": "shop",
            "password": "secret",
            "timeout": 2,
            "webhook_secret": SECRET,
            **config,
        }
    )


def test_send_returns_external_id_segments_cost_and_balance(fake):
    gateway = client(fake)
    [result] = gateway.send([sms(body="x" * 161)])
    assert (result.state, result.segments, result.cost) == ("pending", 2, 2.8)
    assert result.external_id == f"{smsc.smsc_id('u1')}:+79123456789"
    assert gateway.last_balance == (97.2, "RUB")
    sent = fake.requests_to("/sys/send.php")[0].form
    assert sent["fmt"] == "3" and sent["cost"] == "3" and sent["charset"] == "utf-8"
    assert (sent["login"], sent["psw"], sent["phones"]) == ("shop", "secret", "+79123456789")
    assert sent["id"] == str(smsc.smsc_id("u1")), "the id must come from the reference"


def test_api_key_replaces_login_and_password(fake):
    fake.api_key = "key-1"
    [result] = client(fake, login=None, password=None, api_key="key-1").send([sms()])
    assert result.state == "pending"
    form = fake.last_request.form
    assert form["apikey"] == "key-1" and "login" not in form and "psw" not in form


def test_message_sender_overrides_the_gateway_sender(fake):
    gateway = client(fake, sender="Optika")
    gateway.send([sms("u1"), sms("u2", number="+79123456780", sender="Salon")])
    senders = [request.form.get("sender") for request in fake.requests_to("/sys/send.php")]
    assert senders == ["Optika", "Salon"]


@pytest.mark.parametrize(
    "problem, failure_type, vendor_text",
    [
        ("bad_number", "sms_number_format", "invalid phone number"),
        ("undeliverable", "sms_invalid_destination", "can't deliver message"),
        ("forbidden", "sms_not_allowed", "message is denied"),
        ("no_funds", "sms_credit", "not enough money"),
    ],
)
def test_number_errors_map_to_failure_types_and_keep_smsc_text(
    fake, problem, failure_type, vendor_text
):
    fake.number_errors["+79120000001"] = problem
    good, bad = client(fake).send([sms("u1"), sms("u2", number="+79120000001")])
    assert good.state == "pending"
    assert (bad.state, bad.failure_type) == ("error", failure_type)
    assert vendor_text in bad.error_message and "SMSC error" in bad.error_message


def test_forbidden_sender_or_text_is_not_allowed(fake):
    fake.forbidden_senders.add("FREE")
    fake.forbidden_words.add("casino")
    by_sender, by_text = client(fake).send(
        [sms("u1", sender="FREE"), sms("u2", body="Visit our casino")]
    )
    assert by_sender.failure_type == by_text.failure_type == "sms_not_allowed"


def test_after_running_out_of_money_the_rest_is_failed_without_calling_smsc(fake):
    fake.balance = 2.0
    results = client(fake).send([sms("u1"), sms("u2", number="+79123456780"), sms("u3")])
    assert [r.state for r in results] == ["pending", "error", "error"]
    assert [r.failure_type for r in results[1:]] == ["sms_credit", "sms_credit"]
    assert len(fake.requests_to("/sys/send.php")) == 2


def test_wrong_password_is_not_transient(fake):
    with pytest.raises(GatewayError) as caught:
        client(fake, password="wrong").send([sms()])
    assert not caught.value.transient
    assert caught.value.failure_type == "sms_acc"


def test_failure_midway_keeps_the_results_of_messages_already_sent(fake):
    fake.fail("http_500", after=1)
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1"), sms("u2", number="+79123456780"), sms("u3")])
    assert [result.uuid for result in caught.value.results] == ["u1"]
    assert caught.value.results[0].state == "pending"


def test_identical_request_within_a_minute_is_a_transient_possible_duplicate(fake):
    gateway = client(fake)
    gateway.send([sms()])
    with pytest.raises(GatewayError) as caught:
        gateway.send([sms()])
    error = caught.value
    assert (error.transient, error.maybe_sent, error.retry_after) == (True, True, 60)


def test_status_query_maps_smsc_states(fake):
    numbers = ["+79120000011", "+79120000012", "+79120000013", "+79120000014"]
    results = client(fake).send([sms(f"u{i}", number=n) for i, n in enumerate(numbers)])
    sms_ids = [result.external_id.split(":")[0] for result in results]
    for sms_id, number, status in zip(sms_ids, numbers, (1, 3, 0, 20), strict=True):
        fake.set_status(sms_id, number, status, timestamp=1_700_000_000)
    reports = client(fake).fetch_status([r.external_id for r in results])
    by_id = {report.external_id: report for report in reports}
    delivered, expired, at_operator, failed = (by_id[r.external_id] for r in results)
    assert delivered.state == "sent"
    assert delivered.done_at == datetime(2023, 11, 14, 22, 13, 20)
    assert (expired.state, expired.failure_type) == ("error", "sms_expired")
    assert (at_operator.state, at_operator.done_at) == ("pending", None)
    assert (failed.state, failed.failure_type) == ("error", "sms_not_delivered")
    query = fake.requests_to("/sys/status.php")[0].form
    assert query["id"] == ",".join(sms_ids) + "," and query["fmt"] == "3"


def test_find_sent_tells_messages_smsc_holds_from_those_never_sent(fake):
    gateway = client(fake)
    gateway.send([sms("u1")])
    reports = gateway.find_sent([sms("u1"), sms("u2", number="+79123456780")])
    assert [(report.reference, report.state) for report in reports] == [("u1", "process")]


def test_lifetime_comes_from_valid_until(fake):
    now = utc_now()
    gateway = client(fake, clock=lambda: now)
    gateway.send(
        [
            sms("u1", valid_until=now + timedelta(minutes=90, seconds=59)),
            sms("u2", number="+79123456780", valid_until=now + timedelta(days=3)),
            # an aware datetime is converted, not taken as UTC wall time
            sms(
                "u3",
                number="+79123456781",
                valid_until=(now + timedelta(hours=2)).replace(tzinfo=timezone.utc).astimezone(),
            ),
        ]
    )
    valid = [request.form.get("valid") for request in fake.requests_to("/sys/send.php")]
    assert valid == ["01:30", "24:00", "02:00"]


def test_message_whose_validity_is_over_or_too_short_is_not_sent(fake):
    now = utc_now()
    over, too_short = client(fake, clock=lambda: now).send(
        [
            sms("u1", valid_until=now - timedelta(seconds=1)),
            sms("u2", valid_until=now + timedelta(seconds=30)),
        ]
    )
    assert over.failure_type == too_short.failure_type == "sms_expired"
    assert fake.requests_to("/sys/send.php") == []


def test_webhook_with_the_secret_gives_a_report(fake):
    [result] = client(fake).send([sms()])
    sms_id, phone = result.external_id.split(":")
    params = fake.status_callback(sms_id, phone, 1, timestamp=1_700_000_000)
    url = f"https://shop.example/sms_notify/report/7/{SECRET}"
    [report] = client(fake).parse_report("POST", url, {}, params)
    assert (report.external_id, report.state) == (result.external_id, "sent")
    assert report.done_at == datetime(2023, 11, 14, 22, 13, 20)


def test_webhook_expired_report(fake):
    params = fake.status_callback(42, "+79123456789", 3, err=0)
    url = f"https://shop.example/report?token={SECRET}"
    [report] = client(fake).parse_report("GET", url, {}, params)
    assert (report.state, report.failure_type) == ("error", "sms_expired")


@pytest.mark.parametrize(
    "url, secret",
    [
        ("https://shop.example/sms_notify/report/7/guess", SECRET),
        (f"https://shop.example/sms_notify/report/7/{SECRET}x", SECRET),
        ("https://shop.example/sms_notify/report/7/", ""),
    ],
)
def test_webhook_without_the_right_secret_is_rejected(fake, url, secret):
    params = fake.status_callback(42, "+79123456789", 1)
    with pytest.raises(ReportRejected):
        client(fake, webhook_secret=secret).parse_report("POST", url, {}, params)


def test_webhook_that_is_not_a_report_is_rejected(fake):
    url = f"https://shop.example/report/{SECRET}"
    with pytest.raises(ReportRejected):
        client(fake).parse_report("POST", url, {}, {"phone": "+79123456789", "mes": "hi"})


def test_balance_and_connection_check(fake):
    gateway = client(fake)
    assert gateway.fetch_balance() == (100.0, "RUB")
    assert "100.00 RUB" in gateway.test_connection()
    with pytest.raises(GatewayError):
        client(fake, password="wrong").test_connection()


def test_lifetime_format():
    assert smsc.lifetime(59) is None
    assert smsc.lifetime(60) == "00:01"
    assert smsc.lifetime(25 * 3600) == "24:00"

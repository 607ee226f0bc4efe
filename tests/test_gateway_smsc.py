"""SMSC.ru client against a local server speaking SMSC's HTTP API."""

import math
from datetime import datetime, timedelta, timezone

import pytest

from odoo.addons.sms_notify.tests.fakes.smsc import FakeSmsc, smsc_phone
from odoo.addons.sms_notify.tools import cascade, smsc
from odoo.addons.sms_notify.tools.gateway import (
    SMS,
    VIBER,
    BadReport,
    GatewayError,
    OutgoingSms,
    ReportRejected,
    numbered_reference_key,
    utc_now,
)

SECRET = "s3cr3t-token"


def sms(uuid="u1", number="+79123456789", body="Your glasses are ready", **kwargs):
    return OutgoingSms(uuid=uuid, number=number, body=body, **kwargs)


@pytest.fixture
def fake():
    with FakeSmsc() as server:
        yield server


def client(fake, batch_size=None, **config):
    gateway = smsc.SmscClient(
        {
            "base_url": fake.url,
            "login": "shop",
            "password": "secret",
            "timeout": 2,
            "webhook_secret": SECRET,
            **config,
        }
    )
    if batch_size:
        gateway.batch_size = batch_size
    return gateway


def numbered(count, body="Spring sale: -20% on all frames", **kwargs):
    """``count`` messages to as many different numbers."""
    return [
        sms(f"u{index}", number=f"+7912{index:07d}", body=body, **kwargs) for index in range(count)
    ]


def sends(fake):
    return [request.form for request in fake.requests_to("/sys/send.php")]


def list_lines(form):
    """``[(phone, text as written)]`` of a send request, whichever form it took."""
    if "list" not in form:
        return [(form["phones"], form["mes"])]
    return [tuple(line.split(":", 1)) for line in form["list"].split("\n")]


def test_send_returns_gateway_reference_segments_cost_and_balance(fake):
    gateway = client(fake)
    [result] = gateway.send([sms(body="x" * 161)])
    assert (result.state, result.segments, result.cost) == ("pending", 2, 2.8)
    assert result.gateway_reference == f"{smsc.smsc_id('u1')}:+79123456789"
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
    "problem, failure_type, status",
    [
        ("bad_number", "sms_number_format", 22),
        ("undeliverable", "sms_invalid_destination", 25),
        ("forbidden", "sms_rejected", 23),
        ("no_funds", "sms_credit", 24),
    ],
)
def test_refused_number_fails_only_its_own_message(fake, problem, failure_type, status):
    fake.number_errors["+79120000001"] = problem
    good, bad = client(fake).send([sms("u1"), sms("u2", number="+79120000001")])
    assert (good.state, good.cost) == ("pending", 1.4)
    assert (bad.state, bad.failure_type) == ("error", failure_type)
    assert f"SMSC status {status}" in bad.error_message
    [form] = sends(fake)
    assert form["op"] == "1", "the answer must detail every phone"
    assert (smsc.smsc_id("u1"), "79123456789") in fake.messages


@pytest.mark.parametrize(
    "problem, failure_type, vendor_text",
    [
        ("bad_number", "sms_number_format", "invalid phone number"),
        ("undeliverable", "sms_invalid_destination", "can't deliver message"),
        ("forbidden", "sms_not_allowed", "message is denied"),
        ("no_funds", "sms_credit", "not enough money"),
    ],
)
def test_request_refused_as_a_whole_fails_its_messages_with_smsc_text(
    fake, problem, failure_type, vendor_text
):
    fake.number_errors["+79120000001"] = problem
    fake.number_errors["+79120000002"] = problem
    results = client(fake).send(
        [sms("u1", number="+79120000001"), sms("u2", number="+79120000002")]
    )
    assert [(r.state, r.failure_type) for r in results] == [("error", failure_type)] * 2
    assert all(vendor_text in r.error_message and "SMSC error" in r.error_message for r in results)


def test_forbidden_sender_or_text_is_not_allowed(fake):
    fake.forbidden_senders.add("FREE")
    fake.forbidden_words.add("casino")
    by_sender, by_text = client(fake).send(
        [sms("u1", sender="FREE"), sms("u2", body="Visit our casino")]
    )
    assert by_sender.failure_type == by_text.failure_type == "sms_not_allowed"


def test_after_running_out_of_money_the_rest_is_failed_without_calling_smsc(fake):
    fake.balance = 3.0
    # one number seven times: seven requests, the first one with u2 as well; the first goes
    # alone, the next four side by side, and the account runs dry in them
    messages = [sms("u1"), sms("u2", number="+79123456780")]
    messages += [sms(f"u{index}") for index in range(3, 9)]
    results = client(fake).send(messages)
    assert [r.state for r in results] == ["pending", "pending"] + ["error"] * 6
    assert {r.failure_type for r in results[2:]} == {"sms_credit"}
    # the two requests left are not made: SMSC blocks clients that keep failing
    assert len(sends(fake)) == 5


def test_a_batch_goes_out_in_requests_side_by_side(fake):
    """SMSC takes 100 texts a request: a batch of 500 is five requests, the first alone and
    the other four side by side, so that a vendor answering each in 150 ms holds the batch
    0.3 s instead of 0.75."""
    fake.latency = 0.05
    fake.balance = 10_000.0
    messages = [sms(f"u{index}", number=f"+7912{index:07d}") for index in range(500)]
    results = client(fake).send(messages)
    assert [r.state for r in results] == ["pending"] * 500
    assert len(sends(fake)) == 5
    assert fake.max_in_flight == 4


def test_wrong_password_is_not_transient(fake):
    with pytest.raises(GatewayError) as caught:
        client(fake, password="wrong").send([sms()])
    assert not caught.value.transient
    assert caught.value.failure_type == "sms_acc"


def test_failure_midway_keeps_the_results_of_requests_already_sent(fake):
    fake.fail("http_500", after=1)
    with pytest.raises(GatewayError) as caught:
        client(fake).send([sms("u1"), sms("u2", number="+79123456780"), sms("u3")])
    assert caught.value.maybe_sent
    assert [result.uuid for result in caught.value.results] == ["u1", "u2"]
    assert {result.state for result in caught.value.results} == {"pending"}


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
    sms_ids = [result.gateway_reference.split(":")[0] for result in results]
    for sms_id, number, status in zip(sms_ids, numbers, (1, 3, 0, 20), strict=True):
        fake.set_status(sms_id, number, status, timestamp=1_700_000_000)
    reports = client(fake).fetch_status([r.gateway_reference for r in results])
    by_id = {report.gateway_reference: report for report in reports}
    delivered, expired, at_operator, failed = (by_id[r.gateway_reference] for r in results)
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
    # by phone: the requests after the first go side by side, in no fixed order
    valid = {
        request.form.get("phones"): request.form.get("valid")
        for request in fake.requests_to("/sys/send.php")
    }
    assert valid == {"+79123456789": "01:30", "+79123456780": "24:00", "+79123456781": "02:00"}


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
    sms_id, phone = result.gateway_reference.split(":")
    params = fake.status_callback(sms_id, phone, 1, timestamp=1_700_000_000)
    url = f"https://shop.example/sms_notify/report/7/{SECRET}"
    assert params["phone"] == "79123456789", "SMSC writes the phone without the +"
    [report] = client(fake).parse_report("POST", url, {}, params)
    assert report.state == "sent"
    assert numbered_reference_key(report.gateway_reference) == numbered_reference_key(
        result.gateway_reference
    ), "the report matches the message on the phone's digits"
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


# many messages per request


def test_messages_go_out_in_as_few_requests_as_the_batch_size_allows(fake):
    fake.balance = 1000.0
    messages = numbered(250)
    results = client(fake).send(messages)
    assert {result.state for result in results} == {"pending"}
    forms = sends(fake)
    assert len(forms) == math.ceil(250 / smsc.SmscClient.batch_size) == 3
    # the batches go out side by side: they may arrive in any order
    assert sorted(len(list_lines(form)) for form in forms) == [50, 100, 100]
    assert len(fake.messages) == 250
    for form in forms:
        assert form["op"] == "1" and "phones" not in form and "mes" not in form
    # every message is known to SMSC under its request's id and its phone
    for result in results:
        sms_id, phone = result.gateway_reference.split(":")
        assert (int(sms_id), smsc_phone(phone)) in fake.messages
    assert {form["id"] for form in forms} == {
        str(smsc.smsc_id(uuid)) for uuid in ("u0", "u100", "u200")
    }


def test_each_message_is_priced_from_its_own_line_of_the_answer(fake):
    gateway = client(fake)
    short, long = gateway.send(
        [sms("u1", body="x" * 20), sms("u2", number="+79123456780", body="y" * 200)]
    )
    assert (short.cost, long.cost) == (1.4, 2.8)
    assert gateway.last_balance == (95.8, "RUB")


@pytest.mark.parametrize(
    "body, arrives",
    [
        (
            "Sale -20%\nSTOP SMS: https://s.example/u/1",
            "Sale -20%\nSTOP SMS: https://s.example/u/1",
        ),
        ("Visit: 10:30; room 5\r\nSTOP SMS: x", "Visit: 10:30; room 5\nSTOP SMS: x"),
        ("Two\n\nblank lines\n", "Two\n\nblank lines\n"),
    ],
)
def test_text_with_newlines_and_colons_arrives_intact(fake, body, arrives):
    messages = [sms("u1", body=body), sms("u2", number="+79123456780", body=body)]
    results = client(fake).send(messages)
    [form] = sends(fake)
    assert len(form["list"].split("\n")) == 2, "one list line per message"
    for result in results:
        sms_id, phone = result.gateway_reference.split(":")
        assert fake.messages[(int(sms_id), smsc_phone(phone))]["text"] == arrives


def test_single_message_goes_as_phones_and_mes_with_its_newlines(fake):
    client(fake).send([sms(body="Ready\nSTOP SMS: https://s.example/u/1")])
    [form] = sends(fake)
    assert "list" not in form
    assert form["mes"] == "Ready\nSTOP SMS: https://s.example/u/1"


def test_text_with_a_backslash_goes_alone_and_arrives_intact(fake):
    body = "Your file: C:\\new\\report.pdf"
    results = client(fake).send(
        [sms("u1", body=body), sms("u2", number="+79123456780"), sms("u3", number="+79123456781")]
    )
    forms = sends(fake)
    assert len(forms) == 2
    assert forms[0]["mes"] == body
    sms_id, phone = results[0].gateway_reference.split(":")
    assert fake.messages[(int(sms_id), smsc_phone(phone))]["text"] == body


def test_two_messages_to_one_phone_are_never_in_one_request(fake):
    messages = [
        sms("u1"),
        sms("u2", number="+79123456780"),
        sms("u3", number="+7 912 345-67-89"),
        sms("u4"),
    ]
    gateway = client(fake)
    planned = gateway.plan(messages)
    ids = [message.gateway_reference.split(":")[0] for message in planned]
    assert ids[0] == ids[1] and len({ids[0], ids[2], ids[3]}) == 3
    results = gateway.send(planned)
    assert {result.state for result in results} == {"pending"}
    for form in sends(fake):
        phones = ["".join(ch for ch in phone if ch.isdigit()) for phone, _ in list_lines(form)]
        assert len(phones) == len(set(phones))
    assert len(fake.messages) == 4


def test_different_senders_and_lifetimes_go_in_different_requests(fake):
    now = datetime(2024, 5, 1, 12, 0, 0)
    messages = [
        sms("u1", number="+79120000001", sender="Optika"),
        sms("u2", number="+79120000002", sender="Salon"),
        sms("u3", number="+79120000003", sender="Optika"),
        sms("u4", number="+79120000004", valid_until=now + timedelta(hours=2)),
        sms("u5", number="+79120000005", valid_until=now + timedelta(hours=2, seconds=30)),
        sms("u6", number="+79120000006", valid_until=now + timedelta(hours=5)),
        sms("u7", number="+79120000007"),
    ]
    client(fake, sender="Main", clock=lambda: now).send(messages)
    requests = [
        (form.get("sender"), form.get("valid"), [phone[-1] for phone, _ in list_lines(form)])
        for form in sends(fake)
    ]
    # the requests go side by side: they reach SMSC in any order
    assert sorted(requests, key=lambda request: request[2]) == [
        ("Optika", None, ["1", "3"]),
        ("Salon", None, ["2"]),
        ("Main", "02:00", ["4", "5"]),
        ("Main", "05:00", ["6"]),
        ("Main", None, ["7"]),
    ]


def test_planning_is_deterministic_and_send_uses_the_planned_ids(fake):
    messages = numbered(7)
    gateway = client(fake, batch_size=3)
    planned = gateway.plan(messages)
    assert planned == client(fake, batch_size=3).plan(messages)
    assert [message.uuid for message in planned] == [message.uuid for message in messages]
    ids = [message.gateway_reference.split(":")[0] for message in planned]
    assert ids == [str(smsc.smsc_id(uuid)) for uuid in ("u0",) * 3 + ("u3",) * 3 + ("u6",)]
    # sent later, in another order and by another client instance: the planned ids hold
    results = client(fake, batch_size=3).send(list(reversed(planned)))
    by_uuid = {result.uuid: result.gateway_reference for result in results}
    assert by_uuid == {message.uuid: message.gateway_reference for message in planned}
    assert sorted(form["id"] for form in sends(fake)) == sorted(set(ids))


def test_messages_refused_without_a_call_get_no_planned_id(fake):
    now = utc_now()
    planned = client(fake, clock=lambda: now).plan(
        [
            sms("u1", number=""),
            sms("u2", valid_until=now - timedelta(minutes=1)),
            sms("u3", valid_until=now + timedelta(seconds=30)),
            sms("u4"),
        ]
    )
    assert [message.gateway_reference for message in planned] == [
        None,
        None,
        None,
        f"{smsc.smsc_id('u4')}:+79123456789",
    ]


def test_requests_planned_together_never_share_an_id(fake, monkeypatch):
    real_id = smsc.smsc_id
    # every reference hashing alike, as two of them could by chance
    monkeypatch.setattr(smsc, "smsc_id", lambda ref: 7 if "#" not in ref else real_id(ref))
    planned = client(fake).plan([sms("u1"), sms("u2")])
    ids = [message.gateway_reference.split(":")[0] for message in planned]
    assert ids[0] == "7" and ids[1] != "7"
    assert planned == client(fake).plan([sms("u1"), sms("u2")])


def test_find_sent_after_a_crash_tells_exactly_which_planned_messages_smsc_holds(fake):
    # u5 shares u0's number but not its request: requests [u0 u1] [u2 u3] [u4 u5]
    messages = numbered(5) + [sms("u5", number="+79120000000")]
    planned = client(fake, batch_size=2).plan(messages)
    # the worker sent the first two requests, then died before storing any answer
    client(fake, batch_size=2).send(planned[:4])
    reports = client(fake).find_sent(planned)
    assert sorted(report.reference for report in reports) == ["u0", "u1", "u2", "u3"]
    planned_ids = {message.uuid: message.gateway_reference for message in planned}
    assert all(report.gateway_reference == planned_ids[report.reference] for report in reports)
    assert {report.state for report in reports} == {"process"}
    [query] = [request.form for request in fake.requests_to("/sys/status.php")]
    assert query["id"].rstrip(",").split(",") == [
        message.gateway_reference.split(":")[0] for message in planned
    ]


def test_find_sent_after_a_lost_answer_reports_the_request_that_arrived(fake):
    planned = client(fake, batch_size=2).plan(numbered(4))
    fake.fail("http_500", after=1)  # the second request never reaches the fake's books
    with pytest.raises(GatewayError) as caught:
        client(fake, batch_size=2).send(planned)
    assert caught.value.maybe_sent
    reports = client(fake).find_sent(planned)
    assert sorted(report.reference for report in reports) == ["u0", "u1"]


def test_polled_status_without_the_plus_comes_back_under_our_gateway_reference(fake):
    """SMSC answers ``status.php`` with the phone as ``79123456789``: each answer is given
    back under the external id it was asked about."""
    [result] = client(fake).send([sms(number="+7 912 345-67-89")])
    sms_id, phone = result.gateway_reference.split(":")
    fake.set_status(sms_id, phone, 1)
    [report] = client(fake).fetch_status([result.gateway_reference])
    assert (report.gateway_reference, report.state) == (result.gateway_reference, "sent")


@pytest.mark.parametrize(
    "field, value",
    [("phone", "7" * 33), ("id", "1" * 65), ("status", "1" * 50), ("err", "x" * 5000)],
)
def test_webhook_with_an_oversized_field_is_a_bad_report(fake, field, value):
    params = {**fake.status_callback(42, "+79123456789", 1), field: value}
    url = f"https://shop.example/sms_notify/report/7/{SECRET}"
    with pytest.raises(BadReport):
        client(fake).parse_report("POST", url, {}, params)


def test_webhook_with_a_timestamp_no_clock_reaches_still_reports(fake):
    params = fake.status_callback(42, "+79123456789", 1)
    params["ts"] = "9" * 30
    url = f"https://shop.example/sms_notify/report/7/{SECRET}"
    [report] = client(fake).parse_report("POST", url, {}, params)
    assert (report.state, report.done_at) == ("sent", None)


def test_requests_after_a_failed_one_are_not_made_and_left_without_answer(fake):
    """A request that fails stops the batch after the requests in flight beside it: the
    messages of the requests not made get no answer, so the queue decides their fate by the
    failure (tried again later here), not as if the account were out of credit."""
    fake.balance = 10_000.0
    fake.fail("http_500", after=1)
    messages = [sms(f"u{index}", number=f"+7912{index:07d}") for index in range(700)]
    with pytest.raises(GatewayError) as caught:
        client(fake).send(messages)
    error = caught.value
    assert error.transient and error.maybe_sent
    # seven requests: the first alone, four side by side (one failed), two not made
    assert len(fake.requests_to("/sys/send.php")) == 5
    answered = {result.uuid for result in error.results}
    assert len(answered) == 400
    assert all(result.state == "pending" for result in error.results)


# Viber


IMAGE = "https://shop.example/img/frames.png"
LINK = "https://shop.example/frames"


def viber_msg(uuid="v1", number="+79123456789", body="Your glasses are ready", **kwargs):
    return sms(uuid, number=number, body=body, channel=VIBER, **kwargs)


def test_smsc_sends_sms_and_viber_and_cascades_nothing_itself():
    """The queue routes Viber messages to SMSC; the suite, not SMSC, sends the fallback SMS."""
    assert smsc.SmscClient.channels == frozenset({SMS, VIBER})
    assert smsc.SmscClient.vendor_cascade is False


def test_viber_message_carries_viber_1_its_image_and_viber_sender(fake):
    """A Viber message goes as send.php with viber=1, its image as fileurl, the Viber sender
    name in sender; it counts as one message and is priced from its phone's line."""
    gateway = client(fake, sender="Optika", viber_sender="OptikaViber")
    text, image_only = gateway.send(
        [
            viber_msg("v1", body="x" * 400),
            viber_msg("v2", number="+79123456780", body="", image_url=IMAGE),
        ]
    )
    assert (text.state, text.segments, text.cost) == ("pending", 1, 0.9)
    assert (image_only.state, image_only.segments) == ("pending", 1)
    forms = sorted(sends(fake), key=lambda form: "fileurl" in form)
    assert [form["viber"] for form in forms] == ["1", "1"]
    assert [form["sender"] for form in forms] == ["OptikaViber"] * 2
    assert "fileurl" not in forms[0] and forms[0]["mes"] == "x" * 400
    assert (forms[1]["fileurl"], forms[1]["mes"]) == (IMAGE, "")
    for result in (text, image_only):
        sms_id, phone = result.gateway_reference.split(":")
        assert fake.messages[(int(sms_id), smsc_phone(phone))]["channel"] == "viber"


def test_sms_and_viber_never_share_a_request(fake):
    """viber=1 and the image are parameters of the whole request: an SMS, a Viber text and
    Viber messages with different images each go in requests of their own."""
    messages = [
        sms("s1", number="+79120000001"),
        viber_msg("v1", number="+79120000002"),
        sms("s2", number="+79120000003"),
        viber_msg("v2", number="+79120000004"),
        viber_msg("v3", number="+79120000005", body="", image_url=IMAGE),
        viber_msg("v4", number="+79120000006", body="", image_url=IMAGE + "?2"),
    ]
    gateway = client(fake)
    planned = gateway.plan(messages)
    ids = {message.uuid: message.gateway_reference.split(":")[0] for message in planned}
    assert ids["s1"] == ids["s2"] and ids["v1"] == ids["v2"]
    assert len({ids["s1"], ids["v1"], ids["v3"], ids["v4"]}) == 4
    results = gateway.send(planned)
    assert {result.state for result in results} == {"pending"}
    channels = {key[1][-1]: kept["channel"] for key, kept in fake.messages.items()}
    assert channels == {
        "1": "sms",
        "2": "viber",
        "3": "sms",
        "4": "viber",
        "5": "viber",
        "6": "viber",
    }
    for form in sends(fake):
        kinds = {channels[phone[-1]] for phone, _text in list_lines(form)}
        assert kinds == ({"viber"} if form.get("viber") == "1" else {"sms"})
    assert sorted(form.get("fileurl", "") for form in sends(fake)) == [
        "",
        "",
        IMAGE,
        IMAGE + "?2",
    ]


@pytest.mark.parametrize(
    "parts, reason",
    [
        ({"body": "x" * 1001}, "longer than 1000"),
        ({"button_text": "Shop"}, "no link"),
        ({"image_url": IMAGE}, "needs a button"),
        ({"body": "", "image_url": "ftp://shop.example/a.png"}, "web address"),
        # a layout Viber takes, but with a button SMSC has no documented parameter for
        ({"button_text": "Shop", "button_url": LINK}, "buttons"),
        ({"image_url": IMAGE, "button_text": "Shop", "button_url": LINK}, "buttons"),
    ],
)
def test_refused_viber_layout_is_not_sent(fake, parts, reason):
    """A Viber message SMSC must not get fails at once, with no id planned and no call."""
    message = viber_msg(**parts)
    assert client(fake).plan([message])[0].gateway_reference is None
    [result] = client(fake).send([message])
    assert (result.state, result.failure_type) == ("error", "unknown")
    assert reason in result.error_message and "Viber" in result.error_message
    assert fake.requests == []


def test_non_viber_number_status_is_an_error_the_cascade_falls_back_on(fake):
    """SMSC takes the Viber message, then reports the number unreachable on Viber: the
    report is a failure, so a Viber-then-SMS notification sends its SMS at once."""
    fake.not_viber_users.add("+79123456789")
    gateway = client(fake)
    [result] = gateway.send([viber_msg()])
    assert result.state == "pending"
    [report] = gateway.fetch_status([result.gateway_reference])
    assert (report.state, report.failure_type) == ("error", "sms_not_delivered")
    assert "SMSC status 20" in report.error_message and "error 21" in report.error_message
    sent_at = datetime(2024, 5, 1, 12, 0)
    attempts = [cascade.Attempt(VIBER, report.state, sent_at)]
    step = cascade.next_step(cascade.VIBER_THEN_SMS, attempts, sent_at, 900)
    assert step == cascade.Step(cascade.SEND_SMS)


@pytest.mark.parametrize(
    "status, err, state, failure_type",
    [
        (1, 0, "sent", False),
        (2, 0, "sent", False),
        (20, 21, "error", "sms_not_delivered"),
        (3, 0, "error", "sms_expired"),
    ],
)
def test_viber_status_callback_parsed(fake, status, err, state, failure_type):
    """SMSC's status handler call for a Viber message reads like one for an SMS: delivered
    and read count as sent, failures as errors, matched to the message by id and phone."""
    [result] = client(fake).send([viber_msg()])
    sms_id, phone = result.gateway_reference.split(":")
    fake.set_status(sms_id, phone, status, err=err, timestamp=1_700_000_000)
    params = fake.status_callback(sms_id, phone, status, err=err, timestamp=1_700_000_000)
    url = f"https://shop.example/sms_notify/report/7/{SECRET}"
    [report] = client(fake).parse_report("POST", url, {}, params)
    assert (report.state, report.failure_type) == (state, failure_type)
    assert numbered_reference_key(report.gateway_reference) == numbered_reference_key(
        result.gateway_reference
    )
    [polled] = client(fake).fetch_status([result.gateway_reference])
    assert (polled.state, polled.failure_type) == (state, failure_type)


def test_sms_requests_unchanged(fake):
    """SMS requests carry exactly what they carried before SMSC sent Viber: no viber flag,
    no fileurl, the SMS sender (never the Viber one), one request for texts alike."""
    now = datetime(2024, 5, 1, 12, 0, 0)
    gateway = client(fake, sender="Optika", viber_sender="OptikaViber", clock=lambda: now)
    gateway.send(
        [
            sms("u1", valid_until=now + timedelta(hours=2)),
            sms(
                "u2",
                number="+79123456780",
                body="Second\nline",
                valid_until=now + timedelta(hours=2),
            ),
        ]
    )
    gateway.send([sms("u3", number="+79123456781")])
    forms = sorted(sends(fake), key=lambda form: form["id"])
    expected = [
        {
            "login": "shop",
            "psw": "secret",
            "id": str(smsc.smsc_id("u1")),
            "cost": "3",
            "op": "1",
            "list": "+79123456789:Your glasses are ready\n+79123456780:Second\\nline",
            "sender": "Optika",
            "valid": "02:00",
            "fmt": "3",
            "charset": "utf-8",
        },
        {
            "login": "shop",
            "psw": "secret",
            "id": str(smsc.smsc_id("u3")),
            "cost": "3",
            "op": "1",
            "phones": "+79123456781",
            "mes": "Your glasses are ready",
            "sender": "Optika",
            "fmt": "3",
            "charset": "utf-8",
        },
    ]
    assert forms == sorted(expected, key=lambda form: form["id"])
    assert {kept["channel"] for kept in fake.messages.values()} == {"sms"}

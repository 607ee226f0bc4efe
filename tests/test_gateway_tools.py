"""The gateway seam's pure parts: result shape, registry, sandbox and IAP mapping."""

import functools

import pytest

from odoo.addons.sms_notify.tools import iap, sandbox
from odoo.addons.sms_notify.tools.gateway import (
    GATEWAY_TYPES,
    NOT_SENT,
    GatewayClient,
    GatewayError,
    OutgoingSms,
    SendResult,
    batch_error,
    get_client_class,
    register_gateway,
    side_by_side,
)


def sms(uuid, number="+79123456789", body="Hello"):
    return OutgoingSms(uuid=uuid, number=number, body=body)


def test_result_refuses_a_state_odoo_does_not_know():
    with pytest.raises(ValueError, match="not an sms.sms state"):
        SendResult(uuid="a", state="delivered")


def test_error_result_needs_a_failure_type():
    with pytest.raises(ValueError, match="failure type"):
        SendResult(uuid="a", state="error")


def test_registry_knows_sandbox_and_iap():
    assert get_client_class("sandbox") is sandbox.SandboxClient
    assert get_client_class("iap") is iap.IapClient
    assert set(GATEWAY_TYPES) >= {"sandbox", "iap"}


def test_registry_refuses_a_second_client_for_one_type():
    with pytest.raises(ValueError, match="already registered"):

        @register_gateway("sandbox")
        class Impostor(GatewayClient):
            pass


def test_unknown_type_names_the_type():
    with pytest.raises(KeyError, match="pigeon"):
        get_client_class("pigeon")


def test_sandbox_accepts_and_counts_segments():
    [result] = sandbox.SandboxClient().send([sms("u1", body="x" * 161)])
    assert result == SendResult(
        uuid="u1", state="pending", gateway_reference="sandbox-u1", segments=2, cost=0.0
    )


def test_sandbox_fails_a_message_without_number():
    [result] = sandbox.SandboxClient().send([sms("u1", number="")])
    assert (result.state, result.failure_type) == ("error", "sms_number_missing")


@pytest.mark.parametrize(
    "number, outcome",
    [
        ("+48 601 230 000", ("error", "sms_not_delivered")),
        ("+79120000000", ("error", "sms_not_delivered")),
        ("+79123456789", ("sent", False)),
        ("+4470000001", ("sent", False)),
    ],
)
def test_sandbox_delivery_outcome_depends_on_last_four_digits(number, outcome):
    assert sandbox.delivery_outcome(number) == outcome


def test_iap_groups_by_body_and_maps_every_answer():
    sent = []

    def send_batch(payload):
        sent.append(payload)
        return [
            {"uuid": "u1", "state": "success", "credit": 1},
            {"uuid": "u2", "state": "insufficient_credit"},
            {"uuid": "u3", "state": "something_new"},
        ]

    client = iap.IapClient({"send_batch": send_batch})
    results = client.send([sms("u1"), sms("u2"), sms("u3", body="Other")])
    assert sent == [
        [
            {
                "content": "Hello",
                "numbers": [
                    {"number": "+79123456789", "uuid": "u1"},
                    {"number": "+79123456789", "uuid": "u2"},
                ],
            },
            {"content": "Other", "numbers": [{"number": "+79123456789", "uuid": "u3"}]},
        ]
    ]
    by_uuid = {result.uuid: result for result in results}
    assert (by_uuid["u1"].state, by_uuid["u1"].cost, by_uuid["u1"].segments) == ("pending", 1.0, 1)
    assert (by_uuid["u2"].state, by_uuid["u2"].failure_type) == ("error", "sms_credit")
    assert (by_uuid["u3"].failure_type, by_uuid["u3"].error_message) == ("unknown", "something_new")


def test_sandbox_holds_nothing_so_an_interrupted_message_is_sent_again():
    assert sandbox.SandboxClient().find_sent([sms("u1")]) == []


def _calls(answers, made):
    """Calls answering ``answers`` in order (an exception is raised), noting each call made."""

    def call(index, answer):
        made.append(index)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return [functools.partial(call, index, answer) for index, answer in enumerate(answers)]


def test_requests_side_by_side_answer_in_order_and_stop_after_the_wave_that_failed():
    made = []
    timeout = GatewayError("no answer", transient=True, maybe_sent=True)
    answers = side_by_side(_calls(["a", "b", timeout, "d", "e", "f", "g"], made), parallel=4)
    # the first alone, then four side by side; the failure among them stops the batch
    assert answers == ["a", "b", timeout, "d", "e", NOT_SENT, NOT_SENT]
    assert sorted(made) == [0, 1, 2, 3, 4]


def test_a_first_request_that_fails_or_says_stop_is_the_only_one():
    made = []
    refused = GatewayError("wrong password", failure_type="sms_acc")
    assert side_by_side(_calls([refused, "b", "c"], made)) == [refused, NOT_SENT, NOT_SENT]
    assert made == [0]
    made.clear()
    answers = side_by_side(_calls(["no credit", "b"], made), go_on=lambda answer: False)
    assert answers == ["no credit", NOT_SENT]
    assert made == [0]


def test_a_batch_error_keeps_the_answers_and_the_most_careful_flags():
    timeout = GatewayError("no answer", transient=True, maybe_sent=True, retry_after=5)
    refused = GatewayError("HTTP 400", failure_type="sms_server")
    error = batch_error([timeout, refused], ["answer"])
    assert str(error) == "no answer"
    assert error.results == ["answer"]
    # a message of either request may have reached the vendor; the second failure would
    # not go away by retrying
    assert error.maybe_sent and not error.transient
    assert error.retry_after == 5

"""The gateway seam's pure parts: result shape, registry, sandbox and IAP mapping."""

import pytest

from odoo.addons.sms_notify.tools import iap, sandbox
from odoo.addons.sms_notify.tools.gateway import (
    GATEWAY_TYPES,
    GatewayClient,
    OutgoingSms,
    SendResult,
    get_client_class,
    register_gateway,
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

"""Transport failures mean the same thing for every HTTP gateway.

The sending engine decides what to do from ``GatewayError``'s flags alone (retry later,
reconcile before resending, or fail), so each vendor client must raise them alike, whatever
the vendor's own answer looks like.
"""

import time

import pytest
import test_gateway_serwersms
import test_gateway_smsapi
import test_gateway_smsc
import test_gateway_twilio

from odoo.addons.sms_notify.tests.fakes.serwersms import FakeSerwersms
from odoo.addons.sms_notify.tests.fakes.smsapi import FakeSmsapi
from odoo.addons.sms_notify.tests.fakes.smsc import FakeSmsc
from odoo.addons.sms_notify.tests.fakes.twilio import FakeTwilio
from odoo.addons.sms_notify.tools.gateway import GatewayError

#: vendor -> (fake server class, the vendor tests' client and message builders)
VENDORS = {
    "smsc": (FakeSmsc, test_gateway_smsc),
    "smsapi": (FakeSmsapi, test_gateway_smsapi),
    "serwersms": (FakeSerwersms, test_gateway_serwersms),
    "twilio": (FakeTwilio, test_gateway_twilio),
}


@pytest.fixture(params=sorted(VENDORS))
def vendor(request):
    fake_class, module = VENDORS[request.param]
    with fake_class() as fake:
        yield fake, module


def send_failing(vendor, mode, **config):
    fake, module = vendor
    fake.fail(mode)
    with pytest.raises(GatewayError) as caught:
        module.client(fake, **config).send([module.sms()])
    return fake, caught.value


def test_server_error_is_transient_and_may_have_sent(vendor):
    _fake, error = send_failing(vendor, "http_500")
    assert error.transient and error.maybe_sent


def test_timeout_is_transient_and_bounded(vendor):
    started = time.monotonic()
    fake, error = send_failing(vendor, "slow", timeout=0.3)
    assert time.monotonic() - started < fake.slow_seconds
    assert error.transient and error.maybe_sent


def test_unreadable_answer_is_not_transient_but_may_have_sent(vendor):
    _fake, error = send_failing(vendor, "malformed")
    assert not error.transient and error.maybe_sent


def test_rate_limit_is_transient_with_retry_after(vendor):
    fake, error = send_failing(vendor, "rate_limit")
    assert error.transient and error.retry_after == fake.retry_after
    assert not error.maybe_sent

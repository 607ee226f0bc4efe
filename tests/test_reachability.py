"""The delivery-report address warning: whether the vendor or the phone can call Odoo back."""

import pytest

from odoo.addons.sms_notify.tools import reachability as r
from odoo.addons.sms_notify.tools import smsapi, smsc, twilio, vonage  # noqa: F401
from odoo.addons.sms_notify.tools.gateway import get_client_class
from odoo.addons.sms_notify_android.tools import android  # noqa: F401  registers the type


@pytest.mark.parametrize(
    "host, kind",
    [
        ("localhost", r.LOOPBACK),
        ("odoo.localhost", r.LOOPBACK),
        ("127.0.0.1", r.LOOPBACK),
        ("127.8.9.10", r.LOOPBACK),
        ("::1", r.LOOPBACK),
        ("0.0.0.0", r.LOOPBACK),
        ("10.1.2.3", r.PRIVATE),
        ("172.16.0.5", r.PRIVATE),
        ("172.31.255.1", r.PRIVATE),
        ("192.168.1.20", r.PRIVATE),
        ("169.254.10.1", r.PRIVATE),
        ("100.64.1.1", r.PRIVATE),
        ("fd00::1", r.PRIVATE),
        ("::ffff:192.168.1.2", r.PRIVATE),
        ("odoo", r.PRIVATE),
        ("shop.local", r.PRIVATE),
        ("erp.home.arpa", r.PRIVATE),
        ("172.32.0.1", "public"),
        ("8.8.8.8", "public"),
        ("erp.example.com", "public"),
        ("ERP.Example.COM.", "public"),
    ],
)
def test_host_kind(host, kind):
    assert r.host_kind(host) == kind


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8069/sms_notify/report/1/s",
        "http://127.0.0.1:8069/sms_notify/report/1/s",
        "https://[::1]/sms_notify/report/1/s",
    ],
)
def test_loopback_is_reachable_by_nobody(url):
    """localhost on a phone is the phone itself, and on the vendor's side the vendor."""
    assert r.report_address_problem(url, r.CALLER_INTERNET) == r.LOOPBACK
    assert r.report_address_problem(url, r.CALLER_LOCAL_NETWORK, needs_https=True) == r.LOOPBACK


def test_private_network_is_reachable_by_a_device_of_the_shop_only():
    url = "https://192.168.1.10/sms_notify/report/1/s"
    assert r.report_address_problem(url, r.CALLER_INTERNET) == r.PRIVATE
    assert r.report_address_problem(url, r.CALLER_LOCAL_NETWORK, needs_https=True) is None


def test_plain_http_is_refused_only_by_callers_that_need_https():
    url = "http://erp.example.com/sms_notify/report/1/s"
    assert r.report_address_problem(url, r.CALLER_INTERNET) is None
    assert r.report_address_problem(url, r.CALLER_INTERNET, needs_https=True) == r.NEEDS_HTTPS
    assert r.report_address_problem("https://erp.example.com/x", needs_https=True) is None


@pytest.mark.parametrize("url", ["", None, "erp.example.com/x", "ftp://erp.example.com/x"])
def test_no_usable_address(url):
    assert r.report_address_problem(url) == r.NO_ADDRESS


def test_unknown_caller_is_a_programming_error():
    with pytest.raises(ValueError):
        r.report_address_problem("https://erp.example.com/x", caller="pigeon")


def test_warning_names_the_host():
    message, values = r.report_address_warning("http://192.168.1.10:8069/x")
    assert message is r.PROBLEM_MESSAGES[r.PRIVATE]
    assert values == {"host": "192.168.1.10"}
    assert (message % values).count("192.168.1.10") == 1
    assert r.report_address_warning("https://erp.example.com/x") is None


def test_every_warning_reads_as_a_sentence_with_its_values():
    for problem, message in r.PROBLEM_MESSAGES.items():
        text = message % {"host": "localhost"}
        assert text.endswith("."), problem
        assert "The The" not in text


@pytest.mark.parametrize(
    "code, caller, needs_https",
    [
        # the vendors' servers call from the internet; none of them is documented to refuse
        # http (Twilio: error 21609 asks for "a fully qualified http:// or https:// URL")
        ("smsc", r.CALLER_INTERNET, False),
        ("smsapi", r.CALLER_INTERNET, False),
        ("twilio", r.CALLER_INTERNET, False),
        ("vonage", r.CALLER_INTERNET, False),
        # the phone calls from the shop's network, https only (the app's webhook code)
        ("android", r.CALLER_LOCAL_NETWORK, True),
    ],
)
def test_types_declare_who_calls_their_report_address(code, caller, needs_https):
    client_class = get_client_class(code)
    assert client_class.webhook_caller == caller
    assert client_class.webhook_needs_https is needs_https

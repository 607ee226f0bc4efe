"""What each gateway type declares, and the one check every webhook call goes through.

The gateway model, its form and the webhook routes ask the type (its ``GatewayClient`` class)
instead of testing its code: which fields the form shows and requires, the help it shows, whether
it is a device with a daily limit, whether one process at a time talks to it, how its webhook
calls authenticate.
"""

import re
from pathlib import Path

import pytest

from odoo.addons.sms_notify.tools import gateway as core
from odoo.addons.sms_notify.tools import iap, sandbox, serwersms, smsapi, smsc, twilio, vonage
from odoo.addons.sms_notify.tools.gateway import (
    WEBHOOK_AUTHS,
    WEBHOOK_IAP,
    WEBHOOK_NONE,
    WEBHOOK_SECRET,
    WEBHOOK_SIGNATURE,
    BadReport,
    GatewayClient,
    ReportRejected,
    authenticate_webhook,
)
from odoo.addons.sms_notify_android.tools import android
from odoo.addons.sms_notify_modem.tools import modem

REPO = Path(__file__).resolve().parent.parent
SECRET = "s3cr3t-token"
URL = f"https://shop.example/sms_notify/report/7/{SECRET}"

#: what each built-in type declares: form fields (required ones marked), webhook
#: authentication, device, exclusive
DECLARED = {
    sandbox.SandboxClient: (
        {"sandbox_delivery_delay": False},
        WEBHOOK_NONE,
        False,
        False,
    ),
    iap.IapClient: ({}, WEBHOOK_IAP, False, False),
    smsc.SmscClient: (
        {
            "base_url": False,
            "login": False,
            "password": False,
            "api_key": False,
            "sender": False,
            "viber_sender": False,
            "timeout": False,
            "balance": False,
            "webhook_url": False,
        },
        WEBHOOK_SECRET,
        False,
        False,
    ),
    smsapi.SmsapiClient: (
        {
            "base_url": False,
            "api_key": True,
            "sender": False,
            "timeout": False,
            "balance": False,
            "webhook_url": False,
        },
        WEBHOOK_SECRET,
        False,
        False,
    ),
    serwersms.SerwersmsClient: (
        {
            "base_url": False,
            "login": False,
            "password": False,
            "api_key": False,
            "sender": False,
            "timeout": False,
            "balance": False,
        },
        WEBHOOK_NONE,
        False,
        False,
    ),
    twilio.TwilioClient: (
        {
            "base_url": False,
            "account_sid": True,
            "password": True,
            "sender": False,
            "timeout": False,
            "balance": False,
            "webhook_url": False,
        },
        WEBHOOK_SIGNATURE,
        False,
        False,
    ),
    vonage.VonageClient: (
        {
            "base_url": False,
            "api_key": True,
            "password": True,
            "signature_secret": True,
            "sender": False,
            "viber_sender": False,
            "timeout": False,
            "balance": False,
            "webhook_url": False,
        },
        WEBHOOK_SIGNATURE,
        False,
        False,
    ),
    android.AndroidClient: (
        {
            "base_url": True,
            "login": False,
            "password": False,
            "android_signing_key": False,
            "android_sim_number": False,
            "timeout": False,
            "webhook_url": False,
        },
        WEBHOOK_SIGNATURE,
        True,
        False,
    ),
    modem.GsmModemClient: (
        {
            "modem_port": True,
            "modem_baudrate": False,
            "modem_pin": False,
            "modem_smsc": False,
            "modem_text_mode": False,
        },
        WEBHOOK_NONE,
        True,
        True,
    ),
}

_FIELD = re.compile(r"^    (\w+) = fields\.", re.MULTILINE)


def _addon_of(client_class):
    return client_class.__module__.removeprefix("odoo.addons.").split(".")[0]


def _gateway_fields(addon):
    """The fields of ``sms.notify.gateway`` the core and ``addon`` define."""
    names = {"id"}
    for owner in {"sms_notify", addon}:
        source = (REPO / owner / "models" / "sms_notify_gateway.py").read_text(encoding="utf-8")
        names |= set(_FIELD.findall(source))
    return names


def _po_entries(path):
    """``{msgid: msgstr}`` of a .po file (multi-line strings joined)."""
    entries, key, current = {}, None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            key, current = "msgid", [line[6:]]
        elif line.startswith("msgstr "):
            msgid = "".join(part.strip('"') for part in current)
            key, current = "msgstr", [line[7:]]
        elif line.startswith('"') and current is not None:
            current.append(line)
        elif key == "msgstr":
            entries[msgid] = "".join(part.strip('"') for part in current)
            key, current = None, None
    return entries


def test_every_built_in_type_is_declared_here():
    assert set(DECLARED) == set(core.GATEWAY_TYPES.values())


@pytest.mark.parametrize("client_class", list(DECLARED), ids=lambda cls: cls.code)
def test_built_in_type_declarations(client_class):
    form_fields, webhook_auth, is_device, exclusive = DECLARED[client_class]
    assert client_class.form_field_names() == form_fields
    assert client_class.webhook_auth == webhook_auth
    assert client_class.is_device is is_device
    assert client_class.exclusive is exclusive
    assert client_class.webhook_auth in WEBHOOK_AUTHS
    # a type whose calls come to the report address takes webhooks, and the others none
    takes_calls = webhook_auth in (WEBHOOK_SECRET, WEBHOOK_SIGNATURE)
    assert client_class.supports_webhook is takes_calls


@pytest.mark.parametrize("client_class", list(DECLARED), ids=lambda cls: cls.code)
def test_declared_fields_exist_on_the_gateway_model(client_class):
    fields = _gateway_fields(_addon_of(client_class))
    assert set(client_class.form_field_names()) <= fields
    assert set(client_class.config_fields.values()) <= fields


def test_only_the_sandbox_simulates_reports_and_only_twilio_vonage_and_the_phone_sign():
    assert [cls.code for cls in DECLARED if cls.simulated_reports] == ["sandbox"]
    signed = [cls.code for cls in DECLARED if cls.webhook_auth == WEBHOOK_SIGNATURE]
    assert sorted(signed) == ["android", "twilio", "vonage"]


def test_connection_test_is_declared_by_implementing_it():
    assert not sandbox.SandboxClient.can_test_connection()
    assert not iap.IapClient.can_test_connection()
    for client_class in (
        smsc.SmscClient,
        twilio.TwilioClient,
        vonage.VonageClient,
        android.AndroidClient,
    ):
        assert client_class.can_test_connection()


@pytest.mark.parametrize("client_class", list(DECLARED), ids=lambda cls: cls.code)
def test_type_help_is_marked_and_translated(client_class):
    """The help is collected into its addon's template and translated into Russian and Polish."""
    text = client_class.form_help
    assert text, f"{client_class.code} says nothing on the form"
    addon = _addon_of(client_class)
    for name in (f"{addon}.pot", "ru.po", "pl.po"):
        entries = _po_entries(REPO / addon / "i18n" / name)
        assert text in entries, f"{addon}/i18n/{name} lacks the help of {client_class.code}"
        if name != f"{addon}.pot":
            assert entries[text], f"{addon}/i18n/{name}: the help of {client_class.code}"


# the webhook authentication helper


class _Secret(GatewayClient):
    supports_webhook = True
    webhook_auth = WEBHOOK_SECRET


class _Signed(GatewayClient):
    """Signs with the secret as HMAC key: ``X-Sig`` is the hex SHA-256 of the body."""

    supports_webhook = True
    webhook_auth = WEBHOOK_SIGNATURE

    def verify_signature(self, method, url, headers, params, body):
        import hashlib
        import hmac

        expected = hmac.new(b"key", body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(headers.get("x-sig", ""), expected):
            raise ReportRejected("bad signature")


def _signature(body):
    import hashlib
    import hmac

    return hmac.new(b"key", body, hashlib.sha256).hexdigest()


def test_types_without_webhooks_take_no_call():
    for client_class in (sandbox.SandboxClient, serwersms.SerwersmsClient, GatewayClient):
        with pytest.raises(ReportRejected):
            authenticate_webhook(client_class({"webhook_secret": SECRET}), "POST", URL)


def test_secret_types_need_the_secret_in_the_address():
    client = _Secret({"webhook_secret": SECRET})
    authenticate_webhook(client, "GET", URL, {}, {"id": "1"})
    authenticate_webhook(client, "GET", f"https://shop.example/report?token={SECRET}")
    with pytest.raises(ReportRejected):
        authenticate_webhook(client, "GET", "https://shop.example/sms_notify/report/7/guess")
    with pytest.raises(ReportRejected, match="no webhook secret"):
        authenticate_webhook(_Secret({}), "GET", URL)


def test_signature_types_need_a_valid_signature():
    client = _Signed({"webhook_secret": SECRET})
    body = b'{"id": 1}'
    authenticate_webhook(client, "POST", URL, {"X-Sig": _signature(body)}, {}, body)
    with pytest.raises(ReportRejected, match="bad signature"):
        authenticate_webhook(client, "POST", URL, {}, {}, body)
    with pytest.raises(ReportRejected, match="bad signature"):
        authenticate_webhook(client, "POST", URL, {"X-Sig": _signature(b"other")}, {}, body)


def test_the_base_class_trusts_no_signature():
    class Unfinished(GatewayClient):
        supports_webhook = True
        webhook_auth = WEBHOOK_SIGNATURE

    with pytest.raises(ReportRejected):
        authenticate_webhook(Unfinished({"webhook_secret": SECRET}), "POST", URL)


def test_oversized_calls_are_bad_before_anything_else():
    client = _Secret({"webhook_secret": SECRET})
    with pytest.raises(BadReport):
        authenticate_webhook(client, "POST", URL, {}, {}, b"x" * (core.MAX_REPORT_BODY + 1))
    with pytest.raises(BadReport):
        authenticate_webhook(client, "GET", URL, {}, {"id": "1" * (core.MAX_REPORT_FIELD + 1)})


def test_unknown_authentication_is_refused():
    class Odd(GatewayClient):
        supports_webhook = True
        webhook_auth = "trust-me"

    with pytest.raises(ReportRejected, match="unknown"):
        authenticate_webhook(Odd({}), "GET", URL)


def test_iap_reports_name_messages_by_uuid_only():
    client = iap.IapClient()
    uuid = "0123456789abcdef0123456789abcdef"
    statuses = [{"sms_status": "delivered", "uuids": [uuid]}]
    authenticate_webhook(
        client, "POST", "https://shop.example/sms/status", {}, {"message_statuses": statuses}
    )
    for bad in ([], [{"uuids": ["42"]}], [{"uuids": "not a list"}], ["x"], None):
        with pytest.raises(ReportRejected):
            authenticate_webhook(
                client, "POST", "https://shop.example/sms/status", {}, {"message_statuses": bad}
            )


def test_twilio_and_the_phone_check_their_signatures_through_the_helper():
    token = "tw-token"
    client = twilio.TwilioClient({"account_sid": "AC1", "auth_token": token})
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    headers = {"X-Twilio-Signature": twilio.compute_signature(token, URL, params)}
    authenticate_webhook(client, "POST", URL, headers, params)
    with pytest.raises(ReportRejected):
        authenticate_webhook(client, "POST", URL, {}, params)
    phone = android.AndroidClient({"webhook_secret": SECRET, "signing_key": "k", "clock": None})
    body = b'{"event": "sms:delivered", "payload": {"messageId": "m1"}}'
    with pytest.raises(ReportRejected, match="not signed"):
        authenticate_webhook(phone, "POST", URL, {}, {}, body)
    with pytest.raises(ReportRejected, match="secret"):
        authenticate_webhook(phone, "POST", "https://shop.example/sms_notify/report/7/x", {}, {})

"""Every failure a message can end with is explained in plain words on its form."""

import re
from pathlib import Path

import pytest

from odoo.addons.sms_notify.tools import failures

REPO = Path(__file__).resolve().parent.parent
#: the failure types Odoo's SMS and mail apps give their messages and notifications
ODOO_FAILURE_TYPES = {
    "unknown",
    "sms_number_missing",
    "sms_number_format",
    "sms_country_not_supported",
    "sms_registration_needed",
    "sms_credit",
    "sms_server",
    "sms_acc",
    "sms_blacklist",
    "sms_duplicate",
    "sms_optout",
    "mail_bounce",
    "mail_email_invalid",
    "mail_email_missing",
    "mail_from_invalid",
    "mail_from_missing",
    "mail_smtp",
}


def gateway_failure_types():
    """The failure types the suite's gateway clients report: every ``"sms_..."`` string of
    their code but the names of request parameters."""
    found = set()
    for path in REPO.glob("sms_notify*/tools/*.py"):
        if path.name == "failures.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "PARAMETER" not in line:
                found |= set(re.findall(r"\"(sms_[a-z_]+)\"", line))
    return found


def test_the_gateways_report_failure_types_the_scan_finds():
    assert {"sms_not_delivered", "sms_expired", "sms_number_missing"} <= gateway_failure_types()


@pytest.mark.parametrize("failure_type", sorted(ODOO_FAILURE_TYPES | gateway_failure_types()))
def test_every_failure_type_has_a_sentence(failure_type):
    sentence = failures.explanation(failure_type)
    assert failure_type in failures.EXPLANATIONS
    assert sentence and sentence[0].isupper() and sentence.endswith(".")


def test_no_failure_has_nothing_to_explain():
    assert failures.explanation(False) is None
    assert failures.explanation(None) is None


def test_a_failure_type_added_later_reads_as_unknown_until_explained():
    assert failures.explanation("sms_something_new") == failures.EXPLANATIONS["unknown"]

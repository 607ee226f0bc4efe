"""A click on a tracked link of a mailing's SMS is traced back to that SMS."""

from odoo.addons.sms_notify_campaign.tools.links import trace_links_to_sms

PREFIX = "https://shop.example/r/"


def test_each_tracked_link_gets_the_sms_id():
    body = f"Sale {PREFIX}aB3 and {PREFIX}Zz9?x=1 today"
    assert trace_links_to_sms(body, PREFIX, 42) == (
        f"Sale {PREFIX}aB3/s/42 and {PREFIX}Zz9?x=1/s/42 today"
    )


def test_other_links_and_unsubscribe_links_are_left_alone():
    body = "See https://elsewhere.example/r/aB3\nSTOP SMS: https://shop.example/sms/3/Xy12"
    assert trace_links_to_sms(body, PREFIX, 42) == body


def test_a_short_link_that_starts_a_longer_one_is_not_touched_twice():
    body = f"{PREFIX}aB3 {PREFIX}aB3c"
    assert trace_links_to_sms(body, PREFIX, 7) == f"{PREFIX}aB3/s/7 {PREFIX}aB3c/s/7"


def test_empty_body_stays_empty():
    assert trace_links_to_sms("", PREFIX, 1) == ""
    assert trace_links_to_sms(False, PREFIX, 1) is False

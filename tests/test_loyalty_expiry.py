"""Bonus points that expire per accrual: the oldest are spent first, each lot expires its
validity after the day it was issued."""

from datetime import date

import pytest

from odoo.addons.sms_notify_loyalty.tools.expiry import (
    Expiry,
    Lot,
    expired_points,
    next_expiry,
    remaining_lots,
)

MARCH_1, MARCH_20 = date(2027, 3, 1), date(2027, 3, 20)


def test_spending_uses_the_oldest_points_first():
    # 100 on 1 March, 50 on 20 March, then 120 spent: the 100 of March 1 and 20 of March 20
    # are gone, the card holds the newest 30
    lots = remaining_lots([(MARCH_1, 100), (MARCH_20, 50)], balance=30, validity_days=30)
    assert lots == [Lot(MARCH_20, date(2027, 4, 19), 30)]


def test_a_partly_spent_oldest_lot_keeps_the_rest():
    lots = remaining_lots([(MARCH_20, 50), (MARCH_1, 100)], balance=120, validity_days=30)
    assert lots == [
        Lot(MARCH_1, date(2027, 3, 31), 70),
        Lot(MARCH_20, date(2027, 4, 19), 50),
    ]


def test_next_expiry_is_the_oldest_lot_left_and_its_points():
    lots = remaining_lots([(MARCH_1, 100), (MARCH_20, 50)], balance=120, validity_days=30)
    assert next_expiry(lots, date(2027, 3, 25)) == Expiry(date(2027, 3, 31), 70)
    # on its day the oldest lot has expired: the next one is the newer lot
    assert next_expiry(lots, date(2027, 3, 31)) == Expiry(date(2027, 4, 19), 50)
    assert next_expiry(lots, date(2027, 4, 19)) == Expiry()


def test_lots_of_one_day_expire_together():
    lots = remaining_lots(
        [(MARCH_1, 10), (MARCH_1, 15), (MARCH_20, 5)], balance=30, validity_days=10
    )
    assert next_expiry(lots, MARCH_1) == Expiry(date(2027, 3, 11), 25)


def test_expired_points_are_those_whose_day_has_come():
    lots = remaining_lots([(MARCH_1, 100), (MARCH_20, 50)], balance=120, validity_days=30)
    assert expired_points(lots, date(2027, 3, 30)) == 0
    assert expired_points(lots, date(2027, 3, 31)) == 70
    assert expired_points(lots, date(2027, 5, 1)) == 120


def test_removing_the_expired_points_leaves_none_expired():
    accruals = [(MARCH_1, 100), (MARCH_20, 50)]
    today = date(2027, 4, 1)
    lots = remaining_lots(accruals, balance=120, validity_days=30)
    removed = expired_points(lots, today)
    assert removed == 70
    after = remaining_lots(accruals, balance=120 - removed, validity_days=30)
    assert expired_points(after, today) == 0
    assert next_expiry(after, today) == Expiry(date(2027, 4, 19), 50)


def test_points_without_an_accrual_do_not_expire():
    # 40 points put on the card by hand, with no history line: no day to count from
    lots = remaining_lots([(MARCH_1, 100)], balance=140, validity_days=30)
    assert lots == [Lot(MARCH_1, date(2027, 3, 31), 100)]
    assert expired_points(lots, date(2028, 1, 1)) == 100


def test_an_empty_card_has_nothing_to_expire():
    assert remaining_lots([(MARCH_1, 100)], balance=0, validity_days=30) == []
    assert remaining_lots([(MARCH_1, 100)], balance=-5, validity_days=30) == []
    assert next_expiry([], MARCH_1) == Expiry(None, 0)
    assert expired_points([], MARCH_1) == 0


def test_fractional_points_leave_no_crumbs():
    lots = remaining_lots([(MARCH_1, 0.1), (MARCH_1, 0.2), (MARCH_20, 0.3)], 0.3, 30)
    assert sum(lot.points for lot in lots) == pytest.approx(0.3)
    assert next_expiry(lots, MARCH_1).day == date(2027, 4, 19)


def test_a_validity_is_a_positive_number_of_days():
    with pytest.raises(ValueError, match="positive number of days"):
        remaining_lots([(MARCH_1, 100)], balance=100, validity_days=0)

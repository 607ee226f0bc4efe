"""What an appointment's change notice tells: the date and time, the employee, the service,
or all of those that changed."""

from datetime import datetime

from odoo.addons.sms_notify_calendar.tools.changes import (
    EMPLOYEE,
    SERVICE,
    WHEN,
    changed_kinds,
    merge,
    parse,
    sentence,
)

BOOKED = {"start": datetime(2027, 3, 5, 12, 0), "allday": False, "user_id": 7, "name": "Eye test"}


def test_moving_the_start_is_a_change_of_date_and_time():
    moved = {**BOOKED, "start": datetime(2027, 3, 8, 7, 0)}
    assert changed_kinds(BOOKED, moved) == (WHEN,)


def test_becoming_all_day_is_a_change_of_date_and_time():
    assert changed_kinds({"allday": False}, {"allday": True}) == (WHEN,)


def test_several_changes_are_named_in_a_fixed_order():
    changed = {**BOOKED, "name": "Fitting", "user_id": 8, "start": datetime(2027, 3, 6, 9, 0)}
    assert changed_kinds(BOOKED, changed) == (WHEN, EMPLOYEE, SERVICE)


def test_fields_not_written_or_written_unchanged_are_no_change():
    assert changed_kinds({"user_id": 7}, {**BOOKED}) == ()
    assert changed_kinds({}, {**BOOKED, "name": "Fitting"}) == ()


def test_stored_kinds_add_up_and_read_back_in_order():
    assert merge(False, (SERVICE,)) == "service"
    assert merge("service", (WHEN,)) == "when,service"
    assert parse("service,when,unknown") == (WHEN, SERVICE)
    assert parse(False) == ()
    assert merge(False, ()) is False


def test_sentence_names_the_new_date_and_time():
    assert sentence((WHEN,), "08/03/2027", "10:00", "Irina", "Eye test") == (
        "new date and time: 08/03/2027 at 10:00"
    )


def test_sentence_of_an_all_day_appointment_names_the_day():
    assert sentence((WHEN,), "08/03/2027", False, "Irina", "Eye test") == "new date: 08/03/2027"


def test_sentence_names_every_change():
    assert sentence((SERVICE, EMPLOYEE), "08/03/2027", "10:00", "Irina", "Fitting") == (
        "new specialist: Irina; new service: Fitting"
    )


def test_sentence_without_a_recorded_change_names_the_date_and_time():
    assert sentence((), "08/03/2027", "10:00", "Irina", "Eye test") == (
        "new date and time: 08/03/2027 at 10:00"
    )
    assert sentence((EMPLOYEE,), "08/03/2027", "10:00", False, "Eye test") == (
        "new date and time: 08/03/2027 at 10:00"
    )


def test_sentence_is_translated_by_the_given_function():
    polish = {"new specialist: %(employee)s": "nowy specjalista: %(employee)s"}
    translated = sentence(
        (EMPLOYEE,),
        "08.03.2027",
        "10:00",
        "Irina",
        "Eye test",
        translate=lambda message, **params: polish[message] % params,
    )
    assert translated == "nowy specjalista: Irina"

"""Which gateway sends which message: priority, prefixes, capacity, failover."""

from odoo.addons.sms_notify.tools.routing import (
    Gateway,
    first_sending,
    in_order,
    parse_prefixes,
    preferring,
    route,
)

RU = "+79123456789"
PL = "+48600100200"
US = "+12025550100"


def _messages(*numbers):
    return [(index, number) for index, number in enumerate(numbers, start=1)]


def test_prefixes_are_read_from_a_comma_separated_list():
    assert parse_prefixes(" +7, +48 ,, ") == ("+7", "+48")
    assert parse_prefixes(False) == ()


def test_a_gateway_without_prefixes_sends_anywhere():
    assert Gateway(1).sends_to(US)
    assert Gateway(1, ("+7",)).sends_to(RU)
    assert not Gateway(1, ("+7",)).sends_to(PL)


def test_gateways_down_are_tried_after_those_up_in_their_order():
    gateways = [Gateway(1, down=True), Gateway(2), Gateway(3, down=True), Gateway(4)]
    assert [gateway.id for gateway in in_order(gateways)] == [2, 4, 1, 3]


def test_each_number_goes_to_the_first_gateway_sending_to_it():
    polish = Gateway(1, ("+48", "+380"))
    default = Gateway(2)
    routing = route([polish, default], _messages(RU, PL, US))
    assert routing.routes == {2: [1, 3], 1: [2]}
    assert routing.waiting == {}
    assert first_sending([polish], RU) is None


def test_no_gateway_sending_to_a_number_routes_it_to_none():
    routing = route([Gateway(1, ("+48",))], _messages(RU, PL))
    assert routing.routes == {None: [1], 1: [2]}


def test_a_down_gateway_is_the_last_resort():
    routing = route([Gateway(1, down=True), Gateway(2, ("+7",))], _messages(RU, PL))
    assert routing.routes == {2: [1], 1: [2]}


def test_capacity_spills_over_to_the_next_gateway_then_messages_wait():
    phone = Gateway(1, capacity=2)
    routing = route([phone, Gateway(2, ("+7",))], _messages(RU, RU, RU, PL))
    assert routing.routes == {1: [1, 2], 2: [3]}
    # no other gateway sends to Poland: it waits for the phone instead of failing
    assert routing.waiting == {1: [4]}


def test_a_full_gateway_takes_nothing_and_unlimited_takes_everything():
    routing = route([Gateway(1, capacity=0), Gateway(2, capacity=None)], _messages(RU, PL))
    assert routing.routes == {2: [1, 2]}
    routing = route([Gateway(1, capacity=0)], _messages(RU))
    assert routing.routes == {}
    assert routing.waiting == {1: [1]}


def test_a_gateway_that_cannot_be_taken_fails_over_and_is_asked_once():
    asked = []

    def take(gateway_id):
        asked.append(gateway_id)
        return gateway_id != 1

    routing = route([Gateway(1), Gateway(2, ("+7",))], _messages(RU, PL, RU), take=take)
    assert routing.routes == {2: [1, 3]}
    assert routing.waiting == {1: [2]}
    assert asked == [1, 2]


def test_a_taken_gateway_is_not_asked_again():
    asked = []
    routing = route([Gateway(1)], _messages(RU, PL), take=lambda gid: asked.append(gid) or True)
    assert routing.routes == {1: [1, 2]}
    assert asked == [1]


# a rule sending through one gateway (the salon's phone)


def test_a_preferred_gateway_is_tried_before_the_companys_first():
    gateways = [Gateway(1), Gateway(2)]
    decision = route(gateways, _messages(RU, PL), preferred={2: 2})
    assert decision.routes == {1: [1], 2: [2]}


def test_a_preferred_gateway_that_is_down_fails_over_to_the_others():
    gateways = [Gateway(1), Gateway(2, down=True)]
    assert route(gateways, _messages(RU), preferred={1: 2}).routes == {1: [1]}
    assert preferring(in_order(gateways), 2) == [Gateway(1), Gateway(2, down=True)]


def test_a_preferred_gateway_at_its_daily_limit_fails_over_to_the_others():
    gateways = [Gateway(1), Gateway(2, capacity=1)]
    decision = route(gateways, _messages(RU, RU), preferred={1: 2, 2: 2})
    assert decision.routes == {2: [1], 1: [2]}


def test_a_full_preferred_gateway_is_waited_for_when_no_other_sends_to_the_number():
    gateways = [Gateway(1, ("+48",)), Gateway(2, capacity=0), Gateway(3, capacity=0)]
    decision = route(gateways, _messages(RU), preferred={1: 3})
    assert decision.waiting == {3: [1]}
    assert decision.routes == {}


def test_a_preferred_gateway_refused_by_take_leaves_the_message_to_the_next():
    decision = route(
        [Gateway(1), Gateway(2)], _messages(RU), take=lambda gid: gid != 2, preferred={1: 2}
    )
    assert decision.routes == {1: [1]}


def test_a_preference_for_a_gateway_not_among_the_companys_is_ignored():
    assert route([Gateway(1)], _messages(RU), preferred={1: 99}).routes == {1: [1]}

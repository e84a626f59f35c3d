"""alerts.realtime: the one door to the browser.

Runs against whichever channel layer is configured: the in-memory one with nothing set,
channels_redis with REDIS_URL.
"""

import asyncio
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from alerts import realtime


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"notification": {"id": 1}},
        {"type": "gossip", "text": "hi"},
        {"type": "notification"},
        {"type": "unread_count"},
        {"type": "unread_count", "count": Decimal("1")},
        "notification",
    ],
    ids=[
        "empty",
        "no-type",
        "unknown-type",
        "notification-without-body",
        "count-without-count",
        "not-json",
        "not-a-dict",
    ],
)
def test_an_event_the_browser_would_not_understand_is_refused(event):
    with pytest.raises(realtime.InvalidEventError):
        realtime.send_event(user_id=1, event=event)


def test_a_missing_type_is_named_in_the_error():
    with pytest.raises(ValueError, match="'type'"):
        realtime.send_event(user_id=1, event={"count": 3})


def test_each_user_has_a_group_of_their_own():
    assert realtime.user_group(7) == "notifications.user.7"
    assert realtime.user_group(7) != realtime.user_group(8)


async def _join(layer, group: str) -> str:
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def _nothing_arrives(layer, channel: str) -> bool:
    try:
        await asyncio.wait_for(layer.receive(channel), timeout=0.3)
    except TimeoutError:
        return True
    return False


def test_an_event_reaches_exactly_the_users_group():
    event = {"type": "unread_count", "count": 4}

    async def scenario():
        layer = get_channel_layer()
        alice_socket = await _join(layer, realtime.user_group(101))
        bob_socket = await _join(layer, realtime.user_group(102))
        await sync_to_async(realtime.send_event)(user_id=101, event=event)
        received = await asyncio.wait_for(layer.receive(alice_socket), timeout=5)
        bob_got_nothing = await _nothing_arrives(layer, bob_socket)
        await layer.group_discard(realtime.user_group(101), alice_socket)
        await layer.group_discard(realtime.user_group(102), bob_socket)
        return received, bob_got_nothing

    received, bob_got_nothing = async_to_sync(scenario)()
    assert received == {"type": realtime.LAYER_MESSAGE_TYPE, "event": event}
    assert bob_got_nothing


def test_every_open_socket_of_the_user_gets_the_event():
    async def scenario():
        layer = get_channel_layer()
        group = realtime.user_group(103)
        laptop, phone = await _join(layer, group), await _join(layer, group)
        await sync_to_async(realtime.send_event)(user_id=103, event={"type": "unread_count", "count": 1})
        got = [await asyncio.wait_for(layer.receive(socket), timeout=5) for socket in (laptop, phone)]
        for socket in (laptop, phone):
            await layer.group_discard(group, socket)
        return got

    assert [message["event"]["count"] for message in async_to_sync(scenario)()] == [1, 1]


def test_sending_with_nobody_connected_is_not_an_error():
    realtime.send_event(user_id=104, event={"type": "unread_count", "count": 0})


def test_unread_count_counts_only_the_users_unread_notifications(alice, bob):
    from django.utils import timezone

    from alerts import selectors
    from alerts.models import Notification

    Notification.objects.create(user=alice, kind="test", title="one")
    Notification.objects.create(user=alice, kind="test", title="two")
    Notification.objects.create(user=alice, kind="test", title="seen", read_at=timezone.now())
    Notification.objects.create(user=bob, kind="test", title="bob's")

    assert selectors.unread_count(user=alice) == 2
    assert selectors.unread_count(user=bob.pk) == 1

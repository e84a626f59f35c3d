"""The one door to the browser: every WebSocket push goes through `send_event`.

An event is a JSON object with a `type` the browser knows (EVENT_TYPES). It is sent
to the channel-layer group of the user's open sockets; the consumer forwards it as is.
With nobody connected, the layer drops it: the notification itself is already stored,
and the socket's `unread_count` on (re)connect brings the bell up to date.
"""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

# type -> the keys such an event must carry besides "type"
EVENT_TYPES: dict[str, frozenset[str]] = {
    "notification": frozenset({"notification"}),
    "unread_count": frozenset({"count"}),
}

# The channel-layer message type; the consumer's handler is named after it (dots -> underscores).
LAYER_MESSAGE_TYPE = "realtime.event"


class InvalidEventError(ValueError):
    """An event the browser would not understand; a programming error, never user input."""


def user_group(user_id: int) -> str:
    """The group every open socket of one user joins."""
    return f"notifications.user.{int(user_id)}"


def validate_event(event: dict) -> dict:
    """The event as plain JSON (serializer ReturnDicts become dicts), or InvalidEventError."""
    if not isinstance(event, dict) or "type" not in event:
        raise InvalidEventError("an event needs a 'type'")
    required = EVENT_TYPES.get(event["type"])
    if required is None:
        raise InvalidEventError(f"unknown event type {event['type']!r}; known: {sorted(EVENT_TYPES)}")
    missing = required - event.keys()
    if missing:
        raise InvalidEventError(f"a {event['type']!r} event needs {sorted(missing)}")
    try:
        return json.loads(json.dumps(event))
    except (TypeError, ValueError) as exc:
        # Catch Decimal/datetime here rather than deep inside the layer's msgpack encoder.
        raise InvalidEventError(f"event is not plain JSON: {exc}")


def send_event(*, user_id: int, event: dict) -> None:
    """Push `event` to every open socket of the user (none open: dropped)."""
    message = {"type": LAYER_MESSAGE_TYPE, "event": validate_event(event)}
    async_to_sync(get_channel_layer().group_send)(user_group(user_id), message)

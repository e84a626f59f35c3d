"""The notification socket at /ws/notifications/.

The user comes from config/ws_auth.py (session cookie or `Authorization: Bearer`);
anonymous sockets are accepted and closed at once with 4401 so the code reaches the
client (a refused handshake would only show as HTTP 403). An open socket costs one
group membership, one sleeping timer and no polling: events arrive through
alerts.realtime.send_event.

An open socket is closed with 4401 when its sign-in ends: when the token or session
expires (a session extended meanwhile is followed), and when the server revokes it
(logout, deactivation: alerts.realtime.sockets_revoke reaches every web process through
the user's group).
"""

import asyncio
import json
from datetime import UTC, datetime

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from alerts import realtime, selectors
from users.credentials import session_credential_find

CLOSE_UNAUTHENTICATED = 4401


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None
    expiry: asyncio.Task | None = None

    async def connect(self):
        user = self.scope.get("user")
        self.credential = self.scope.get("credential")
        if user is None or not user.is_authenticated or self.credential is None:
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.expiry = asyncio.create_task(self._close_at_expiry())
        self.group = realtime.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # Not thread-sensitive: a burst of reconnects counts in parallel threads instead of
        # queueing on one and missing daphne's handshake timeout.
        count = await database_sync_to_async(selectors.unread_count, thread_sensitive=False)(user=user)
        await self.send_json({"type": "unread_count", "count": count})

    async def _close_at_expiry(self):
        credential = self.credential
        while True:
            await asyncio.sleep(max((credential.expires_at - datetime.now(UTC)).total_seconds(), 0))
            if credential.session_key is None:
                break  # a token's expiry is final
            credential = await database_sync_to_async(session_credential_find)(session_key=credential.session_key)
            if credential is None:
                break  # ended or expired; otherwise it was extended, so wait for the new expiry
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code):
        if self.expiry is not None:
            self.expiry.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return json.loads(text_data)
        except ValueError:
            return None  # a client's garbage frame is ignored, not a crash of the socket

    async def receive_json(self, content, **kwargs):
        """A client's ping is answered; anything else is ignored.

        A ping also renews the group membership, which the Redis layer expires after a
        day (its group_expiry): a page left open for days keeps getting its events."""
        if isinstance(content, dict) and content.get("type") == "ping" and self.group is not None:
            await self.channel_layer.group_add(self.group, self.channel_name)
            await self.send_json({"type": "pong"})

    async def realtime_event(self, message):
        """A message of type realtime.LAYER_MESSAGE_TYPE, already validated by send_event."""
        await self.send_json(message["event"])

    async def realtime_revoke(self, message):
        """A message of type realtime.REVOKE_MESSAGE_TYPE: a sign-in of this user ended."""
        if message["credential"] in (None, self.credential.name):
            await self.close(code=CLOSE_UNAUTHENTICATED)

"""What every transport is: one `send(delivery)` that raises TransportError on failure."""


class TransportError(Exception):
    """A delivery attempt failed. `permanent` failures are not retried (a 4xx, a bad address)."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Transport:
    kind = ""

    def send(self, delivery) -> None:
        raise NotImplementedError

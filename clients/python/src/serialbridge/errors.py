"""Exceptions: one class per protocol error code, plus the connection's own failures."""

from __future__ import annotations


class BridgeError(Exception):
    """Base of every error this package raises. `code` is the protocol's code, for programs."""

    code = "ERROR"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class BadMessage(BridgeError):
    code = "BAD_MESSAGE"


class UnknownPort(BridgeError):
    code = "UNKNOWN_PORT"


class PortNotOpen(BridgeError):
    code = "PORT_NOT_OPEN"


class Timeout(BridgeError):
    """The instrument did not answer in time (the bridge's TIMEOUT), or a stream waited too long."""

    code = "TIMEOUT"


class Forbidden(BridgeError):
    code = "FORBIDDEN"


class Busy(BridgeError):
    code = "BUSY"


class RateLimited(BridgeError):
    code = "RATE_LIMITED"


class InternalError(BridgeError):
    code = "INTERNAL"


class TooLarge(BridgeError):
    code = "TOO_LARGE"


class ConnectionLost(BridgeError):
    """The connection dropped while this request waited for its answer, or was not there.

    A request that was sent may or may not have reached the instrument; it is never sent again
    on its own, because instruments have side effects.
    """

    code = "CONNECTION_LOST"


class ConnectFailed(BridgeError):
    """The bridge could not be reached, or refused the connection (`status` is its HTTP status;
    `nobody_listening` when nothing listened at the address: connection refused)."""

    code = "CONNECT_FAILED"

    def __init__(
        self, message: str, status: int | None = None, *, nobody_listening: bool = False
    ) -> None:
        super().__init__(message)
        self.status = status
        self.nobody_listening = nobody_listening


class NotSupported(BridgeError):
    """The bridge does not offer this feature (it is not in `hello.features`)."""

    code = "NOT_SUPPORTED"


_BY_CODE: dict[str, type[BridgeError]] = {
    cls.code: cls
    for cls in (
        BadMessage,
        UnknownPort,
        PortNotOpen,
        Timeout,
        Forbidden,
        Busy,
        RateLimited,
        InternalError,
        TooLarge,
    )
}


def error_from_code(code: str, message: str) -> BridgeError:
    """The exception for an `error` message; a code this version does not know gives BridgeError."""
    cls = _BY_CODE.get(code)
    return cls(message) if cls is not None else BridgeError(message, code)

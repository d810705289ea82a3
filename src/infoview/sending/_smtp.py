"""One SMTP connection, and one message handed to it, journalled step by step.

:func:`deliver` speaks the SMTP commands itself (MAIL, RCPT, DATA) so that
the journal can say ``sending`` after the recipients were accepted and just
before DATA, and ``sent`` only after the server's 250 to the message. The
outcome of each reply:

- 2xx to the message: ``sent``.
- 4xx to any command, or the connection lost before the message went out:
  the server surely did not take it; back to ``pending`` and :class:`Retry`.
- 5xx: ``failed`` with the server's text (a refused recipient alone is
  noted, and the others get the message).
- no reply once the message went out (the connection dropped, a timeout):
  ``unknown``. The server may have taken it, so it is not sent again.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime

import attrs

from infoview.errors import SendError, SignInError
from infoview.mail.message import for_the_wire
from infoview.mail.outbox import Outgoing
from infoview.sending.journal import Journal
from infoview.sending.oauth import TokenProvider, xoauth2

__all__ = ["Connection", "Rate", "Retry", "SendError", "deliver"]

_DOTS = re.compile(rb"(?m)^\.")
_RATE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(s|sec|second|min|minute|h|hour)\s*", re.I)
_PERIODS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


@attrs.define
class Rate:
    """At most ``count`` messages per ``seconds``: the messages are spaced evenly.

    Args:
        count: How many messages.
        seconds: In how long.
        clock: Returns the time in seconds (tests pass their own).
        sleep: Waits so many seconds.
    """

    count: float = attrs.field(validator=attrs.validators.gt(0))
    seconds: float = attrs.field(default=60.0, validator=attrs.validators.gt(0))
    clock: Callable[[], float] = attrs.field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, repr=False)
    _last: float | None = attrs.field(default=None, init=False, repr=False)

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read ``"20/min"``, ``"1/s"`` or ``"100/hour"``.

        Raises:
            ValueError: The text is not a rate.
        """
        found = _RATE.fullmatch(text)
        if found is None or float(found[1]) <= 0:
            raise ValueError(f"{text!r} is not a rate such as 20/min, 1/s or 100/hour")
        return cls(float(found[1]), _PERIODS[found[2].lower()])

    @property
    def interval(self) -> float:
        """Seconds between two messages."""
        return self.seconds / self.count

    def wait(self) -> None:
        """Wait until the next message may go (at once for the first)."""
        if self._last is not None:
            delay = self._last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()


class Retry(Exception):  # noqa: N818 - a signal to stamina, not an error users see
    """A temporary failure: the message was not accepted; try again on a new connection.

    Attributes:
        reply: The server's reply, or what happened to the connection.
        connection: ``True`` when the server could not be reached or dropped us.
    """

    def __init__(self, reply: str, *, connection: bool = False) -> None:
        self.reply = reply
        self.connection = connection
        super().__init__(reply)


def reply_text(code: int, message: bytes | str) -> str:
    """Return a reply as one line: ``"550 5.1.1 No such user"``."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return " ".join(f"{code} {text}".split())


class Connection:
    """A lazily opened SMTP connection, opened again after it was dropped.

    Args:
        host, port, security, user, timeout, ssl_context, require_tls: As in
            :class:`~infoview.sending.SMTPSettings`.
        password: The password, when ``user`` is set; sent only over TLS.
        token: Signs in over XOAUTH2 instead of with the password; asked for
            a token at each (re)connection, so an expired one is refreshed.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int,
        security: str,
        user: str | None,
        password: str | None,
        timeout: float,
        ssl_context: ssl.SSLContext | None,
        require_tls: bool = False,
        token: TokenProvider | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self._password = password
        self.timeout = timeout
        self.context = ssl_context
        self.require_tls = require_tls
        self._token = token
        self._smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        """Return the open connection, connecting (TLS, login) first if needed.

        Raises:
            Retry: The server cannot be reached, or greeted us with an error.
            SendError: TLS failed, login failed, a password would go in clear,
                or TLS is required and the server does not offer it.
        """
        if self._smtp is None:
            self._smtp = self._open()
        return self._smtp

    def _open(self) -> smtplib.SMTP:
        context = self.context or ssl.create_default_context()
        try:
            smtp: smtplib.SMTP
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                self._greet(smtp, context)
            except BaseException:
                smtp.close()
                raise
        except SendError:
            raise
        except ssl.SSLError as error:
            raise SendError(
                self.host,
                f"TLS failed ({error}); check the host name and port, "
                "or that the server's certificate is trusted",
            ) from error
        except smtplib.SMTPAuthenticationError as error:
            raise SendError(
                self.host,
                f"login refused for {self.user}: {reply_text(error.smtp_code, error.smtp_error)}; "
                "check the user and password (many providers want an app password)",
            ) from error
        except smtplib.SMTPConnectError as error:
            raise Retry(reply_text(error.smtp_code, error.smtp_error), connection=True) from error
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            reply = f"cannot reach {self.host}:{self.port}: {error}"
            raise Retry(reply, connection=True) from error
        return smtp

    def _greet(self, smtp: smtplib.SMTP, context: ssl.SSLContext) -> None:
        smtp.ehlo_or_helo_if_needed()
        secure = self.security == "tls"
        if self.security == "starttls" and smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
            secure = True
        if self.require_tls and not secure:
            raise SendError(
                self.host,
                "the server does not offer STARTTLS, and TLS is required (--require-tls, "
                "require_tls=True), so no message goes to it in clear; use security='tls' "
                "(port 465), or a server that offers STARTTLS",
            )
        if self.user is None and self._token is None:
            return
        if not secure:
            offered = "does not offer STARTTLS" if self.security == "starttls" else "is not TLS"
            raise SendError(
                self.host,
                f"the connection {offered}, and infoview never sends a password in clear; "
                "use security='tls' (port 465) or a server that offers STARTTLS",
            )
        if not smtp.has_extn("auth"):
            raise SendError(self.host, "the server offers no login (AUTH); leave user unset")
        if self._token is not None:
            self._oauth(smtp, self._token)
        else:
            smtp.login(self.user or "", self._password or "")

    def _oauth(self, smtp: smtplib.SMTP, token: TokenProvider) -> None:
        """Sign in over XOAUTH2; a refused token is refreshed and tried once more."""
        user = self.user or token.user
        for fresh in (False, True):
            try:
                secret = token.token(fresh=fresh)
            except SignInError as error:
                raise SendError(self.host, str(error)) from None
            if "xoauth2" not in smtp.esmtp_features.get("auth", "").lower().split():
                raise SendError(
                    self.host, "the server does not offer XOAUTH2; sign in with a password"
                )

            def answer(challenge: bytes | None = None, secret: str = secret) -> str:
                return xoauth2(user, secret) if challenge is None else ""

            try:
                smtp.auth("XOAUTH2", answer)
            except smtplib.SMTPAuthenticationError as error:
                if fresh:
                    raise SendError(
                        self.host,
                        f"the OAuth token for {user} was refused: "
                        f"{reply_text(error.smtp_code, error.smtp_error)}; sign in again "
                        "(infoview login --provider ...)",
                    ) from None
            else:
                return

    def drop(self) -> None:
        """Close the connection (politely if it still answers); the next use reconnects."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def __repr__(self) -> str:
        return f"Connection({self.host!r}, {self.port}, security={self.security!r})"


def _options(smtp: smtplib.SMTP, message: Outgoing) -> list[str]:
    options = []
    if not message.data.isascii() and smtp.has_extn("8bitmime"):
        options.append("BODY=8BITMIME")
    if not all(a.isascii() for a in (message.sender, *message.recipients)):
        options.append("SMTPUTF8")  # smtplib refuses it when the server does not offer it
    return options


class _Refused(Exception):  # noqa: N818 - a signal within this module
    """A 5xx before the message went out: it is not accepted, and never will be as it is."""

    def __init__(self, reply: str, refused: dict[str, str] | None = None) -> None:
        self.reply = reply
        self.refused = refused or {}
        super().__init__(reply)


def _check(code: int, text: bytes, command: str) -> None:
    """Raise for a reply that is not a success: 5xx → :class:`_Refused`, else :class:`Retry`."""
    if code >= 500:
        raise _Refused(f"{command}: {reply_text(code, text)}")
    if not 200 <= code < 400:
        raise Retry(f"{command}: {reply_text(code, text)}")


def _envelope(smtp: smtplib.SMTP, message: Outgoing) -> dict[str, str]:
    """Send MAIL FROM and RCPT TO; return the recipients refused (if not all were)."""
    code, text = smtp.mail(message.sender, _options(smtp, message))
    _check(code, text, "MAIL FROM")
    refused: dict[str, str] = {}
    for recipient in message.recipients:
        code, text = smtp.rcpt(recipient)
        if code >= 500:
            refused[recipient] = reply_text(code, text)
        else:
            _check(code, text, f"RCPT TO {recipient}")
    if len(refused) == len(message.recipients):
        raise _Refused("; ".join(f"{r}: {t}" for r, t in refused.items()), refused)
    return refused


Delivery = tuple[bool | None, str, dict[str, str]]


def deliver(
    connection: Connection,
    journal: Journal,
    message: Outgoing,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Delivery:
    """Hand one message to the server, journalling each step.

    Returns:
        ``(accepted, reply, refused)``: whether the server took it (``None``
        when it may have: the state is ``unknown``), its reply, and the
        recipients it refused while taking it for the others.

    Raises:
        Retry: A temporary failure; the message is ``pending`` again.
        SendError: The connection cannot be made safely (see :meth:`Connection.get`).
    """
    smtp = connection.get()
    mid = message.message_id
    began = False
    try:
        refused = _envelope(smtp, message)
        journal.sending(mid)
        began = True
        code, text = smtp.docmd("DATA")
        if code != 354:
            _check(max(code, 451), text, "DATA")  # any other success code is a protocol slip
    except _Refused as error:
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            connection.drop()
        journal.failed(mid, error.reply)
        return False, error.reply, error.refused
    except smtplib.SMTPNotSupportedError as error:  # SMTPUTF8 needed but not offered
        reply = f"{error}; the server cannot take non-ASCII addresses"
        journal.failed(mid, reply)
        return False, reply, {}
    except Retry as error:
        if began:
            journal.pending(mid, error.reply)
        connection.drop()
        raise
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as error:
        if began:
            journal.pending(mid, f"connection lost before the message was sent: {error}")
        connection.drop()
        raise Retry(f"connection lost: {error}", connection=True) from error
    return _data(connection, journal, message, refused, now())


def _data(
    connection: Connection,
    journal: Journal,
    message: Outgoing,
    refused: dict[str, str],
    now: datetime,
) -> Delivery:
    """Send the message itself after the server's 354, and journal its reply."""
    mid = message.message_id
    smtp = connection.get()
    data = message.data
    if not data.isascii() and not smtp.has_extn("8bitmime"):
        data = for_the_wire(data)  # .eml files for review hold 8bit text
    payload = _DOTS.sub(b"..", data)
    payload += b".\r\n" if payload.endswith(b"\r\n") else b"\r\n.\r\n"
    try:
        smtp.send(payload)
        code, text = smtp.getreply()
    except (smtplib.SMTPException, OSError) as error:
        connection.drop()
        reply = (
            f"no reply after the message was sent ({error}); "
            "the server may have accepted it, so it is not sent again"
        )
        journal.unknown(mid, reply)
        return None, reply, {}
    reply = reply_text(code, text)
    if 200 <= code < 300:
        if refused:
            reply += "; refused: " + "; ".join(f"{r}: {t}" for r, t in refused.items())
        journal.sent(mid, reply, now)
        return True, reply, refused
    if 400 <= code < 500:
        journal.pending(mid, reply)
        connection.drop()
        raise Retry(reply)
    if code >= 500:
        journal.failed(mid, reply)
        return False, reply, {}
    connection.drop()
    journal.unknown(mid, f"an unreadable reply after the message was sent: {reply}")
    return None, reply, {}

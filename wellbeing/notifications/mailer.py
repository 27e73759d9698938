"""Turning an outbox row into an email and handing it to SMTP (or, with no SMTP
configured, to a folder the demo mailbox page reads).

One SMTP connection per worker process, reused across messages and opened again when
the server has dropped it. What the server says decides what happens next: a 5xx for
the recipient (or the message) is permanent and fails the message at once with the
reason; a 4xx, a refused connection or a timeout is temporary and is tried again."""
import binascii
import random
import re
import smtplib
import sys
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from ..core.timeutil import now_utc


class TemporaryMailError(Exception):
    """SMTP refused for now or was unreachable; worth trying again later."""


class PermanentMailError(Exception):
    """SMTP refused this message for good (5xx); trying again would not help."""


def build(message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_email
    # A header is one line: a line break typed into, say, an organisation's name must
    # not end it (or add another header).
    email["Subject"] = " ".join(message.subject.split())
    email["Message-ID"] = message_id(message.id)
    email["Date"] = sent_date()
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


# An address written as is: the usual addr-spec, nothing a header parser could read
# another way (no display name, quotes, commas or non-ASCII).
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
_MAX_LINE = 78  # RFC 5322's "should" (998 is the "must")


def render(message) -> bytes | None:
    """The message as the bytes that go over SMTP: what build() describes, written out
    directly. The email package spends most of a worker's time per message parsing
    headers we hand it and folding them again (about 2 ms a message, more than the SMTP
    exchange itself); here only a header that needs it (non-ASCII, too long to stay on
    one line) goes through it. None for a message whose addresses are not plain ASCII:
    send() builds that one with the email package (and SMTPUTF8 if it needs it).

    One thing differs from build() on purpose: a long List-Unsubscribe stays one line,
    as RFC 2369 wants it; the email package turned it into RFC 2047 encoded words, which
    are not allowed there, so a mail client could not find the URL."""
    config = current_app.config
    if not _PLAIN_ADDRESS.fullmatch(message.to_email) or _envelope_from(
            config["MAIL_FROM"]) is None:
        return None
    head = [_folded("From", config["MAIL_FROM"]), f"To: {message.to_email}\r\n",
            _folded("Subject", " ".join(message.subject.split())),
            f"Message-ID: {message_id(message.id)}\r\n", f"Date: {sent_date()}\r\n"]
    if message.unsubscribe_url:
        url = f"<{message.unsubscribe_url}>"
        if not (url.isascii() and url.isprintable() and " " not in url
                and "=?" not in url and len(url) < 990):
            return None
        head += [f"List-Unsubscribe: {url}\r\n",
                 "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"]
    head.append("MIME-Version: 1.0\r\n")
    text = _text_part("plain", message.body_text)
    if not message.body_html:
        return ("".join(head) + text[0]).encode("ascii") + b"\r\n" + text[1]
    html = _text_part("html", message.body_html)
    while True:  # as the email package does: a boundary no body contains
        boundary = f"==============={random.randrange(sys.maxsize):019d}=="
        if boundary.encode("ascii") not in text[1] + html[1]:
            break
    head.append(f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"\r\n')
    mark = f"--{boundary}\r\n".encode("ascii")
    return b"".join((
        "".join(head).encode("ascii"), b"\r\n", mark,
        text[0].encode("ascii"), b"\r\n", text[1], b"\r\n", mark,
        html[0].encode("ascii"), b"\r\n", html[1], b"\r\n",
        f"--{boundary}--\r\n".encode("ascii")))


def sent_date() -> str:
    """RFC 5322 asks every message for a Date: when it leaves us (a resend after a worker
    died carries its own, the Message-ID stays the same)."""
    return format_datetime(now_utc(), usegmt=True)


def message_id(outbox_id: int) -> str:
    # A stable Message-ID per outbox row lets receiving servers drop a duplicate if a
    # worker died after SMTP accepted the message but before the row was marked sent.
    # (make_msgid adds the time and a random number, so its resend had another id.)
    return f"<outbox-{outbox_id}@{_host(current_app.config['BASE_URL'])}>"


@lru_cache(maxsize=8)
def _host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "wellbeing"


@lru_cache(maxsize=8)
def _envelope_from(mail_from: str) -> str | None:
    address = parseaddr(mail_from)[1]
    return address if address.isascii() and "@" in address else None


@lru_cache(maxsize=256)
def _folded(name: str, value: str) -> str:
    """One header as the email package writes it for SMTP (encoded words for non-ASCII,
    folded at 78): the From and Subject lines repeat across a fan-out, so each distinct
    one is worked out once."""
    return policy.SMTP.fold(*policy.SMTP.header_store_parse(name, value))


def _text_part(subtype: str, body: str) -> tuple[str, bytes]:
    """A text part's headers and body, encoded as the email package chooses: 7bit when
    every line is ASCII and fits, else quoted-printable."""
    lines = body.encode("utf-8").splitlines()
    if all(len(line) <= _MAX_LINE for line in lines) and body.isascii():
        cte, payload = "7bit", b"\r\n".join(lines) + b"\r\n"
    else:
        encoded = binascii.b2a_qp(b"\n".join(lines) + b"\n", istext=True)
        cte, payload = "quoted-printable", encoded.replace(b"\n", b"\r\n")
    return (f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
            f"Content-Transfer-Encoding: {cte}\r\n"), payload


class _Connection:
    """This process's SMTP connection, keyed by the settings it was opened with (a test
    may point the app at another server)."""

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None
        self.settings: tuple | None = None

    reused = False  # the connection returned by get() has carried a message before

    def get(self, config) -> smtplib.SMTP:
        settings = (config["SMTP_HOST"], config["SMTP_PORT"], config.get("SMTP_STARTTLS"),
                    config.get("SMTP_USER"))
        if self.smtp is not None and self.settings != settings:
            self.close()
        if self.smtp is None:
            self.reused = False
            smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20)
            try:
                if config.get("SMTP_STARTTLS"):
                    smtp.starttls()
                if config.get("SMTP_USER"):
                    smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
            except BaseException:
                smtp.close()
                raise
            self.smtp, self.settings, self.reused = smtp, settings, False
            return smtp
        self.reused = True
        return self.smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
        self.smtp = self.settings = None


_connection = _Connection()


def close_connection() -> None:
    _connection.close()


def send(message) -> None:
    data = render(message)
    email = build(message) if data is None else None
    config = current_app.config
    if not config.get("SMTP_HOST"):
        folder = Path(config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message.id:08d}.eml").write_bytes(
            bytes(email) if data is None else data.replace(b"\r\n", b"\n"))
        return
    for attempt in (1, 2):
        try:
            smtp = _connection.get(config)
            if data is None:
                refused = smtp.send_message(email)
            else:
                refused = smtp.sendmail(_envelope_from(config["MAIL_FROM"]),
                                        [message.to_email], data)
        except (smtplib.SMTPServerDisconnected, ConnectionError) as exc:
            # The server dropped a connection we kept open: open a new one, once.
            reopen = _connection.reused and attempt == 1
            _connection.close()
            if reopen:
                continue
            raise TemporaryMailError(_describe(exc)) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            _reset()
            code, reply = next(iter(exc.recipients.values()))
            _raise_for(code, f"{code} {_text(reply)}", exc)
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused
            _reset()
            _raise_for(exc.smtp_code, f"{exc.smtp_code} {_text(exc.smtp_error)}", exc)
        except (OSError, smtplib.SMTPException) as exc:  # refused, timeout, reset
            _connection.close()
            raise TemporaryMailError(_describe(exc)) from exc
        if refused:  # several recipients, some refused: we only ever send to one
            code, reply = next(iter(refused.values()))
            _raise_for(code, f"{code} {_text(reply)}", None)
        return


def _raise_for(code: int, reason: str, cause) -> None:
    error = PermanentMailError if 500 <= code < 600 else TemporaryMailError
    raise error(reason[:480]) from cause


def _reset() -> None:
    """After a refusal the session stays usable once reset; if not, start again."""
    try:
        if _connection.smtp is not None:
            _connection.smtp.rset()
    except (OSError, smtplib.SMTPException):
        _connection.close()


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:480]

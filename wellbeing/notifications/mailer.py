"""Turning an outbox row into an email and handing it to SMTP (or, with no SMTP
configured, to a folder the demo mailbox page reads).

One SMTP connection per worker process, reused across messages and opened again when
the server has dropped it. What the server says decides what happens next: a 5xx for
the recipient (or the message) is permanent and fails the message at once with the
reason; a 4xx, a refused connection or a timeout is temporary and is tried again."""
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app


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
    # A stable Message-ID per outbox row lets receiving servers drop a duplicate if a
    # worker died after SMTP accepted the message but before the row was marked sent.
    # (make_msgid adds the time and a random number, so its resend had another id.)
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "wellbeing"
    email["Message-ID"] = f"<outbox-{message.id}@{host}>"
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


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
    email = build(message)
    config = current_app.config
    if not config.get("SMTP_HOST"):
        folder = Path(config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message.id:08d}.eml").write_bytes(bytes(email))
        return
    for attempt in (1, 2):
        try:
            refused = _connection.get(config).send_message(email)
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

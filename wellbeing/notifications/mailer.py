"""Turning an outbox row into an email and handing it to SMTP (or, with no SMTP
configured, to a folder the demo mailbox page reads)."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app


class TemporaryMailError(Exception):
    """SMTP refused or was unreachable; worth trying again later."""


def build(message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_email
    # A header is one line: a line break typed into, say, an organisation's name must
    # not end it (or add another header).
    email["Subject"] = " ".join(message.subject.split())
    # A stable Message-ID per outbox row lets receiving servers drop a duplicate if a
    # worker died after SMTP accepted the message but before the row was marked sent.
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="wellbeing")
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def send(message) -> None:
    email = build(message)
    config = current_app.config
    if not config.get("SMTP_HOST"):
        folder = Path(config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message.id:08d}.eml").write_bytes(bytes(email))
        return
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryMailError(f"{type(exc).__name__}: {exc}"[:480]) from exc

"""E-mail over SMTP (stdlib smtplib, off the event loop): codes, notices, receipts and meeting
invitations.

An invitation is sent the way calendar servers send theirs, so every mail app offers to add it
(or, for a cancellation, to remove it):

    multipart/mixed
      multipart/alternative
        text/plain                                   the message
        text/calendar; method=REQUEST; charset=UTF-8 the iTIP message itself
      application/ics; name=diagnostico.ics          the same, as a file to open or save
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.kernel.ports import Attachment


def compose(
    sender: str, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> EmailMessage:
    """The message as it goes on the wire (see the module docstring)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(" >"))
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        if attachment.method and attachment.mime_type == "text/calendar":
            message.add_alternative(
                attachment.data.decode(),
                subtype="calendar",
                params={"method": attachment.method},
            )
            message.add_attachment(
                attachment.data, maintype="application", subtype="ics", filename=attachment.filename
            )
        else:
            message.add_attachment(
                attachment.data,
                maintype=maintype or "application",
                subtype=subtype or "octet-stream",
                filename=attachment.filename,
            )
    return message


class SmtpMailer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def _send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPResponseException as error:
            if 400 <= error.smtp_code < 500:
                raise TransientError(f"SMTP {error.smtp_code}") from error
            raise PermanentError(f"SMTP {error.smtp_code}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise TransientError(f"SMTP unreachable: {type(error).__name__}") from error

    async def send(
        self, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None:
        message = compose(self.sender, to, subject, body, attachments)
        await asyncio.to_thread(self._send, message)

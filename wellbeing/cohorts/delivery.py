"""Whether each person's invitation reached the mail server: what HR needs to chase
someone who has not joined. Read from the outbox rows that name the enrollment."""
from dataclasses import dataclass

from sqlalchemy import select

from ..core.bulk import chunks
from ..extensions import db
from ..notifications.models import CANCELLED, FAILED, SENT, OutboxMessage

INVITATION_KINDS = ("invitation", "moved")


@dataclass(frozen=True)
class InvitationState:
    status: str  # "sent", "waiting" or "failed"
    when: object  # when it was sent, last tried, or is due
    reason: str | None = None

    @property
    def text(self) -> str:
        return {"sent": "Invitation delivered to the mail server",
                "waiting": "Invitation waiting to be sent",
                "failed": "Invitation could not be delivered"}[self.status]

    @property
    def earlier_text(self) -> str:
        """For someone moved into a draft: the invitation was to their earlier cohort."""
        return "Earlier i" + self.text[1:]


def latest_invitations(enrollment_ids: list[int]) -> dict[int, InvitationState]:
    """The newest invitation (or course-change message) of each enrollment."""
    found: dict[int, OutboxMessage] = {}
    for batch in chunks(enrollment_ids):
        for message in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.enrollment_id.in_(batch),
                                            OutboxMessage.kind.in_(INVITATION_KINDS),
                                            OutboxMessage.status != CANCELLED)
                .order_by(OutboxMessage.id)):
            found[message.enrollment_id] = message  # the last one wins
    states = {}
    for enrollment_id, message in found.items():
        if message.status == SENT:
            states[enrollment_id] = InvitationState("sent", message.sent_at)
        elif message.status == FAILED:
            states[enrollment_id] = InvitationState(
                "failed", message.claimed_at or message.due_at,
                message.last_error or "Refused by the mail server")
        else:
            states[enrollment_id] = InvitationState("waiting", message.due_at)
    return states

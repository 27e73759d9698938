"""The person's mail choices in their data download (core/personal_data.py)."""
from ..core.personal_data import register_exporter
from ..extensions import db
from .models import MailPreference


@register_exporter("mail_preferences")
def mail_preferences(user):
    row = db.session.get(MailPreference, user.id)
    if row is None:
        return {"default": True}  # every kind on, quiet 20:00-08:00 in their zone
    return {"week_opened": row.week_opened, "nudges": row.nudges,
            "survey_reminders": row.survey_reminders, "quiet_start": row.quiet_start,
            "quiet_end": row.quiet_end}

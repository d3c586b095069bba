"""Emails about clinical sign-off (issue 22).

- PendingChange.notified_at: when the hourly digest told the clinical editors the change waits;
  changes waiting before this migration have none, so the first digest lists them.
- StaffProfile.sign_off_emails: whether the person gets those emails (on unless they untick it).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0022_visitsheet'),
    ]

    operations = [
        migrations.AddField(
            model_name='pendingchange',
            name='notified_at',
            field=models.DateTimeField(blank=True, help_text='When the hourly email to clinical editors listed this change; empty until then.', null=True, verbose_name='clinical editors emailed'),
        ),
        migrations.AddField(
            model_name='staffprofile',
            name='sign_off_emails',
            field=models.BooleanField(default=True, help_text='Ticked: an email when a clinical editor approves or sends back your change; for clinical editors, also one email an hour at most listing the changes waiting for them. Untick to get none of these emails.', verbose_name='emails about clinical sign-off'),
        ),
    ]

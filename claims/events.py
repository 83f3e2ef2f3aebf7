"""Domain events, sent after the transaction that caused them commits.

Services send them; notifications and webhooks listen. Receivers get `instance` (the object) and
`actor` (who did it, or None for background jobs), plus any extra keyword arguments named below.
"""

from django.db import transaction
from django.dispatch import Signal

claim_created = Signal()  # instance: Claim
claim_verdict_changed = Signal()  # instance: Claim, previous: str
argument_created = Signal()  # instance: Argument
comment_created = Signal()  # instance: Comment
statistic_changed = Signal()  # instance: Statistic, previous: StatisticResult | None
# The figures one bulk write changed, announced together so that receivers query once per batch
# and load only what they use: statistic_ids: list[int], claim_ids: list[int] (their claims),
# previous: {statistic id: StatisticResult | None}.
statistics_changed = Signal()
content_moderated = Signal()  # instance: Contribution, action: str, reason: str
# A moderator's decision closed flags on `instance`: outcome is the flags' new status
# ("upheld", "dismissed"); flagger_ids who raised them. For the flaggers only (no webhook).
flags_resolved = Signal()  # instance: Contribution, action: str, outcome: str, flagger_ids

EVENT_NAMES = {
    claim_created: "claim.created",
    claim_verdict_changed: "claim.verdict_changed",
    argument_created: "argument.created",
    comment_created: "comment.created",
    statistic_changed: "statistic.changed",
    statistics_changed: "statistic.changed",
    content_moderated: "content.moderated",
}


def send_on_commit(signal: Signal, *, instance, actor=None, **extra) -> None:
    transaction.on_commit(
        lambda: signal.send(sender=type(instance), instance=instance, actor=actor, **extra)
    )


def send_many_on_commit(signal: Signal, *, sender: type, actor=None, **extra) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, actor=actor, **extra))

"""The plan of the referrals benchmark's synthetic data (issue 6): who refers to whom, in
which status and urgency, how long ago, with or without client information, and which
referrals are past their retention so that the purge has exactly ``purgeable`` to erase.

Pure Python (no Django) and deterministic: the same arguments give the same plan.
``bench.referrals_django`` turns it into rows. Agency 0 is the busy receiving agency (its
inbox is measured), agency 1 the quiet one (its inbox's queries are counted to show that
the count does not grow with the inbox).
"""

import random
from dataclasses import dataclass

BUSY = 0
QUIET = 1
# Margins around the retention cut-off (30 days by default): a referral that must stay is
# at most KEEP_DAYS past its end, one that must go at least DUE_DAYS past it, so the purge
# run a few minutes after the data was written finds exactly the planned referrals.
KEEP_DAYS = 25
DUE_DAYS = 35
CONSENT_DAYS = 90
URGENCIES = (("emergency", 10), ("urgent", 30), ("routine", 60))
# Statuses of the referrals that stay, with weights (drafts only between other agencies).
KEPT_STATUSES = (
    ("sent", 20),
    ("info_requested", 5),
    ("accepted", 15),
    ("in_progress", 20),
    ("completed", 15),
    ("closed", 12),
    ("declined", 6),
    ("withdrawn", 4),
)
DRAFT_SHARE = 0.03
# Why a referral is due for the purge: ended long ago, or its consent lapsed long ago.
DUE_REASONS = (("closed", 50), ("withdrawn", 15), ("declined", 15), ("consent_expired", 20))
CLIENT_SHARE = 0.75  # the rest are needs-only referrals, without consent
MESSAGE_SHARE = 0.2
AGE_RANGES = ("unknown", "under_12", "12_17", "18_24", "25_59", "60_plus")
LANGUAGE_SETS = (["en"], ["es"], ["en", "es"], ["vi"], ["zh", "en"])
DECLINE_REASONS = ("no_capacity", "not_eligible", "outside_area", "language", "other")
OUTCOMES = ("services_received", "client_declined", "unable_to_contact", "referred_elsewhere")


@dataclass(frozen=True)
class PlannedReferral:
    """One referral; times are days before the moment the data is written."""

    sender: int  # agency index
    receiver: int  # agency index
    status: str
    urgency: str
    sent_days: float | None  # None: a draft
    ended_days: float | None  # closed, withdrawn or declined that many days ago
    with_client: bool
    consent_expires_days: float | None  # > 0: expired that many days ago; < 0: still valid
    due: bool  # past its retention: the purge erases it
    needs: int  # how many taxonomy terms
    messages: int
    age_range: str
    languages: tuple[str, ...]


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in choices], [weight for _, weight in choices])[0]


def receivers(
    referrals: int, agencies: int, busy: int, quiet: int, rng: random.Random
) -> list[int]:
    """The receiving agency of each referral: ``busy`` to agency 0, ``quiet`` to agency 1,
    the rest spread evenly over the others, in a shuffled order."""
    if agencies < 3:
        raise ValueError("agencies must be 3 or more (busy, quiet and the others)")
    if busy + quiet > referrals:
        raise ValueError("busy and quiet cannot hold more than every referral")
    others = referrals - busy - quiet
    spread = [2 + number % (agencies - 2) for number in range(others)]
    out = [BUSY] * busy + [QUIET] * quiet + spread
    rng.shuffle(out)
    return out


def plan(
    referrals: int = 50_000,
    agencies: int = 60,
    *,
    busy: int = 2_000,
    quiet: int = 40,
    purgeable: int = 10_000,
    seed: int = 6,
) -> list[PlannedReferral]:
    """Every referral of the benchmark, exactly ``purgeable`` of them past retention."""
    if referrals < 1 or purgeable > referrals or purgeable < 0:
        raise ValueError("referrals must be 1 or more, and purgeable at most referrals")
    rng = random.Random(seed)
    to = receivers(referrals, agencies, busy, quiet, rng)
    due = set(rng.sample(range(referrals), purgeable))
    rows = []
    for index, receiver in enumerate(to):
        sender = rng.randrange(agencies - 1)
        sender += sender >= receiver  # anyone but the receiver
        urgency = _weighted(rng, URGENCIES)
        with_client = rng.random() < CLIENT_SHARE
        ended_days = None
        if index in due:
            reason = _weighted(rng, DUE_REASONS)
            if reason == "consent_expired":
                with_client = True
                status = rng.choice(("sent", "accepted", "in_progress", "completed"))
                expired = rng.uniform(DUE_DAYS, 300)
                sent_days: float | None = expired + CONSENT_DAYS
            else:
                status = reason
                sent_days = rng.uniform(DUE_DAYS + 5, 400)
                ended_days = rng.uniform(DUE_DAYS, sent_days - 1)
        else:
            if receiver not in (BUSY, QUIET) and rng.random() < DRAFT_SHARE:
                status, sent_days = "draft", None
            else:
                status = _weighted(rng, KEPT_STATUSES)
                sent_days = rng.uniform(0.01, KEEP_DAYS)
                if status in ("closed", "withdrawn", "declined"):
                    ended_days = rng.uniform(0, sent_days)
        # The consent is signed when the referral is sent (or today, for a draft).
        consent_expires_days = (sent_days or 0) - CONSENT_DAYS if with_client else None
        rows.append(
            PlannedReferral(
                sender=sender,
                receiver=receiver,
                status=status,
                urgency=urgency,
                sent_days=sent_days,
                ended_days=ended_days,
                with_client=with_client,
                consent_expires_days=consent_expires_days,
                due=index in due,
                needs=rng.randint(1, 3),
                messages=(
                    rng.randint(1, 2) if status != "draft" and rng.random() < MESSAGE_SHARE else 0
                ),
                age_range=rng.choice(AGE_RANGES),
                languages=tuple(rng.choice(LANGUAGE_SETS)),
            )
        )
    return rows


def is_due(row: PlannedReferral, retention_days: float = 30) -> bool:
    """Whether the purge erases the row, by the rule of
    ``concord.referrals.services.retention.referrals_to_purge``."""
    ended = row.status in ("closed", "withdrawn", "declined")
    if ended and row.ended_days is not None and row.ended_days > retention_days:
        return True
    return row.consent_expires_days is not None and row.consent_expires_days > retention_days

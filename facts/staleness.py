"""Which facts are due for a re-check: not checked against their source for a while."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from .load import FactBase
from .problems import Problem, ProblemsFound

DEFAULT_STALE_AFTER_DAYS = 365
ENV_VAR = "FACTS_STALE_AFTER_DAYS"  # the preview reads the age from here; build.py --stale-after too


def stale_after_days(given: int | None = None) -> int:
    """The age in days after which a fact is due a re-check: ``given``, else $FACTS_STALE_AFTER_DAYS,
    else a year. A value that is not a whole number of days is a problem naming the variable."""
    if given is not None:
        return given
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return DEFAULT_STALE_AFTER_DAYS
    if not value.isdigit():
        raise ProblemsFound([Problem(f"${ENV_VAR}", 1, 1, ENV_VAR, f"is {value[:40]!r}; expected a whole number "
                                                                    "of days, such as 365")])
    return int(value)


@dataclass(frozen=True)
class Stale:
    id: str
    kind: str            # "fact" or "event"
    checked: date
    age_days: int
    where: tuple[str, int, int]


def stale_items(base: FactBase, days: int, today: date | None = None) -> list[Stale]:
    """Facts and events last checked more than ``days`` ago, oldest first."""
    today = today or date.today()
    items = [("fact", f) for f in base.facts.values()] + [("event", e) for e in base.events.values()]
    found = [Stale(item.id, kind, item.checked, (today - item.checked).days, base.defined_at[item.id])
             for kind, item in items if is_stale(item.checked, days, today)]
    return sorted(found, key=lambda s: (s.checked, s.id))


def is_stale(checked: date, days: int, today: date | None = None) -> bool:
    return ((today or date.today()) - checked).days > days

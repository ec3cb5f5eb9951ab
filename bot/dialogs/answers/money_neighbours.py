"""How an amount heard stands to the one said just before it: both say how much it varies
("好的时候一天五六十 差的时候二三十"), or it is what reaches home out of it ("一个月三千 寄回来两千").

Why apart from `money_sum`: these rules look at two neighbours only; the sum looks at the whole reply.
"""

from __future__ import annotations

import re

from bot.dialogs.answers.money_tags import last_clause
from bot.dialogs.answers.money_words import Heard


def varying(heard: list[Heard]) -> list[Heard]:
    """ "好的时候一天五六十 差的时候二三十": amounts that vary make one range, with the amount said just
    before them for the same period; money of another kind or period, or a sum said after them
    ("一个月下来一千来块"), stays apart."""
    merged: list[Heard] = []
    for item in heard:
        previous = merged[-1] if merged else None
        alike = (
            previous is not None
            and "final" not in item.tags
            and item.excluded is None
            and previous.excluded is None
            and previous.period == item.period
            and not {"cost", "net"} & (item.tags | previous.tags)
            and ("varies" in item.tags or "varies" in previous.tags)
        )
        if previous is None or not alike:
            merged.append(item)
            continue
        merged[-1] = Heard(
            min(previous.low, item.low),
            max(previous.high, item.high),
            previous.start,
            item.end,
            previous.before,
            previous.period,
            tags={"varies"},
        )
    return merged


# Money the earner away sends home, said with no one new: "寄回来两千", "打回家的一个月就一千五".
_SENT_HOME = re.compile(r"^(?:他|她|他们|每个月|一个月|就|能|只)*(?:寄|打|拿|带)回(?:来|家)?\S{0,5}$")


def sent_from(last: Heard, item: Heard) -> bool:
    """Whether `item` is money sent home out of the earnings `last`, and so replaces them."""
    plain = last.excluded is None and not {"cost", "net", "final"} & last.tags
    sent = _SENT_HOME.search(last_clause(item.before)) is not None
    return sent and plain and last.period == item.period and item.high <= last.high

"""Pure statistics for the practice dashboard and the bias audit (stdlib only).

- :func:`poisson_interval`: a 95% interval for a count of events (flags) over an exposure
  (sentences), by Byar's approximation to the exact Poisson interval (Breslow & Day 1987), exact
  for a count of 0; no dependency beyond ``math``.
- :func:`wilson_interval`: a 95% Wilson score interval for a proportion.
- :func:`mean_interval`: mean ± 1.96 standard errors (normal approximation), for averages such
  as the share of a draft that was edited, or a transcription confidence.
- :func:`disparity`: a group's rate divided by the overall rate, and whether it differs by the
  threshold factor or more in either direction.
- :func:`suppressed_groups`: which groups to hide because they are small (primary suppression),
  and — when exactly one group would be hidden — the next smallest too, so that a hidden count
  cannot be worked out by subtracting the shown groups from the total (secondary suppression).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """A measured value with its 95% confidence interval (``None`` where nothing was measured)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0  # units the value was computed from (sentences, notes, recordings)


def poisson_interval(events: int, exposure: float, *, per: float = 1.0) -> Estimate:
    """Rate of ``events`` per ``per`` units of ``exposure``, with Byar's 95% interval."""
    if events < 0 or exposure < 0:
        raise ValueError("events and exposure must not be negative")
    if exposure == 0:
        return Estimate(None)
    x = events
    if x == 0:
        low = 0.0
    else:
        low = x * (1 - 1 / (9 * x) - Z95 / (3 * math.sqrt(x))) ** 3
    if x == 0:
        high = -math.log(0.025)  # exact: the rate at which seeing none has probability 2.5%
    else:
        y = x + 1
        high = y * (1 - 1 / (9 * y) + Z95 / (3 * math.sqrt(y))) ** 3
    scale = per / exposure
    return Estimate(x * scale, max(low, 0.0) * scale, high * scale, n=round(exposure))


def wilson_interval(successes: int, trials: int) -> Estimate:
    """Proportion ``successes / trials`` with the Wilson score 95% interval."""
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and trials")
    if trials == 0:
        return Estimate(None)
    p = successes / trials
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z95 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n=trials)


def mean_interval(values: Sequence[float]) -> Estimate:
    """Mean with a normal-approximation 95% interval (none for a single value)."""
    if not values:
        return Estimate(None)
    mean = statistics.fmean(values)
    if len(values) < 2:
        return Estimate(mean, None, None, n=1)
    half = Z95 * statistics.stdev(values) / math.sqrt(len(values))
    return Estimate(mean, mean - half, mean + half, n=len(values))


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class Disparity:
    ratio: float | None  # group ÷ overall
    warn: bool


def disparity(group: float | None, overall: float | None, threshold: float) -> Disparity:
    """The group's rate against the overall rate; ``warn`` when it differs by ``threshold``
    (e.g. 1.25) or more in either direction. An overall rate of 0 gives no ratio; then a
    non-zero group rate is itself a warning."""
    if threshold <= 1:
        raise ValueError("the threshold must be greater than 1")
    if group is None or overall is None:
        return Disparity(None, False)
    if overall == 0:
        return Disparity(None, group > 0)
    ratio = group / overall
    return Disparity(ratio, ratio >= threshold or (ratio > 0 and 1 / ratio >= threshold)
                     or ratio == 0)


def suppressed_groups(sizes: Mapping[str, int], minimum: int) -> set[str]:
    """Groups to hide: every group smaller than ``minimum`` (but not empty), and — if that hides
    exactly one group — also the smallest remaining non-empty group, so the hidden one cannot be
    found by subtraction from the overall count."""
    hidden = {g for g, n in sizes.items() if 0 < n < minimum}
    if len(hidden) == 1:
        shown = sorted((n, g) for g, n in sizes.items() if n > 0 and g not in hidden)
        if shown:
            hidden.add(shown[0][1])
    return hidden

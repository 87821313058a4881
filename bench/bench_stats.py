"""Statistics the benchmarks share: the mean and 95% Student-t interval over seeds."""
from __future__ import annotations

import statistics

# Student t quantiles (0.975) by degrees of freedom 0..10; beyond 10 seeds the 10-df value is conservative.
T_975 = [float("nan"), 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]


def interval(values: list[float]) -> tuple[float, float]:
    """Mean and half-width of the 95% Student-t interval (nan for a single value)."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, float("nan")
    half = T_975[min(len(values) - 1, len(T_975) - 1)] * statistics.stdev(values) / len(values) ** 0.5
    return mean, half

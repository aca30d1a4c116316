"""Jaro-Winkler similarity of two short strings (name keys): 1.0 the same, 0.0 nothing in common.

Jaro counts the characters the two strings share within a window of half the
longer length, and the transpositions among them; Winkler raises the score of
strings that share a prefix of up to four characters, which suits names: a
misheard ending (Aziz, Azis) matters less than a different beginning.
"""

from __future__ import annotations

PREFIX_SCALE = 0.1
MAX_PREFIX = 4


def jaro(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    taken = [False] * len(b)
    matched_a = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not taken[j] and b[j] == char:
                taken[j] = True
                matched_a.append(char)
                break
    if not matched_a:
        return 0.0
    matched_b = [b[j] for j, used in enumerate(taken) if used]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) / 2
    m = len(matched_a)
    return (m / len(a) + m / len(b) + (m - transpositions) / m) / 3


def jaro_winkler(a: str, b: str) -> float:
    score = jaro(a, b)
    prefix = 0
    for x, y in zip(a[:MAX_PREFIX], b[:MAX_PREFIX], strict=False):  # the common prefix ends with the shorter name
        if x != y:
            break
        prefix += 1
    return score + prefix * PREFIX_SCALE * (1 - score)

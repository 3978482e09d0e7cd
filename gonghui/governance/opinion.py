"""网上舆论 analysis (pure, decision 0032): Chinese segmentation with jieba and the union-domain dictionary in
``opinion_data/``, a lexicon sentiment scorer (positive/negative words with weights, negations that flip a
word within the three tokens before it, degree adverbs that scale it), keyword counts over the tokens minus
stop words, and the spike rule (a day's negative count above mean + 3σ of the previous 28 days, and at
least a minimum). Texts reach this module already masked (core.masking.mask_text)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("opinion_data")
WINDOW = 3  # how many tokens before a sentiment word a negation or degree adverb may stand
SPIKE_DAYS = 28
SPIKE_SIGMAS = 3
SPIKE_MIN = 5  # fewer negative items than this in a day is never a spike
_NOISE = re.compile(r"^[\d\W_*＊a-zA-Z]+$")


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _weighted(name: str) -> dict[str, float]:
    return {word: float(weight) for word, weight in (line.split() for line in _lines(name))}


@dataclass(frozen=True)
class Lexicon:
    positive: dict[str, float]
    negative: dict[str, float]
    negations: frozenset[str]
    degrees: dict[str, float]

    def with_extra(self, extra: Iterable[tuple[str, float]]) -> Lexicon:
        """The shipped lexicon plus an admin's words (weight > 0 positive, < 0 negative; a later word wins)."""
        positive, negative = dict(self.positive), dict(self.negative)
        for word, weight in extra:
            positive.pop(word, None), negative.pop(word, None)
            (positive if weight > 0 else negative)[word] = abs(float(weight))
        return Lexicon(positive, negative, self.negations, self.degrees)


@cache
def base_lexicon() -> Lexicon:
    return Lexicon(_weighted("positive.txt"), _weighted("negative.txt"), frozenset(_lines("negations.txt")),
                   _weighted("degree.txt"))  # fmt: skip


@cache
def stopwords() -> frozenset[str]:
    return frozenset(_lines("stopwords.txt"))


@cache
def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DATA / "userdict.txt"))
    lexicon = base_lexicon()
    for word in [*lexicon.positive, *lexicon.negative, *lexicon.degrees, *lexicon.negations]:
        tokenizer.add_word(word, freq=2000)
    return tokenizer


@cache
def _modifiers() -> tuple[str, ...]:
    lexicon = base_lexicon()
    return tuple(sorted([*lexicon.degrees, *lexicon.negations], key=len, reverse=True))


def _split(token: str, known: set[str]) -> list[str]:
    """jieba keeps "非常感谢", "太差", "认真落实" whole; split a token the lexicon does not know into its leading
    modifiers and a known word ("非常/感谢", "太/差"), or around a known word of two characters or more inside
    it ("认真/落实")."""
    if token in known or len(token) < 2:
        return [token]
    for modifier in _modifiers():
        rest = token[len(modifier) :]
        if token.startswith(modifier) and rest and (rest in known or _split(rest, known) != [rest]):
            return [modifier, *_split(rest, known)]
    for size in range(len(token) - 1, 1, -1):
        for start in range(0, len(token) - size + 1):
            word = token[start : start + size]
            if word in known:
                head, tail = token[:start], token[start + size :]
                return [*([head] if head else []), word, *(_split(tail, known) if tail else [])]
    return [token]


def tokenize(text: str, extra_words: Iterable[str] = ()) -> list[str]:
    tokenizer = _tokenizer()
    extra = list(extra_words)
    for word in extra:
        if word not in tokenizer.FREQ:  # an admin's word joins the dictionary once
            tokenizer.add_word(word, freq=2000)
    lexicon = base_lexicon()
    known = {*lexicon.positive, *lexicon.negative, *extra}
    tokens = [t for t in (token.strip() for token in tokenizer.lcut(text)) if t]
    return [part for token in tokens for part in _split(token, known)]


def score(tokens: Sequence[str], lexicon: Lexicon) -> float:
    """The sum over sentiment words of weight × the degree adverbs right before it, its sign flipped by each
    negation right before it (the run of modifiers, at most WINDOW tokens, that ends at the word)."""
    total = 0.0
    for i, token in enumerate(tokens):
        if token in lexicon.positive:
            value = lexicon.positive[token]
        elif token in lexicon.negative:
            value = -lexicon.negative[token]
        else:
            continue
        for before in reversed(tokens[max(0, i - WINDOW) : i]):
            if before in lexicon.negations:
                value = -value
            elif before in lexicon.degrees:
                value *= lexicon.degrees[before]
            else:  # only the modifiers right before the word ("很不满意", "不是很满意") count
                break
        total += value
    return round(total, 2)


def label(value: float) -> str:
    return "positive" if value > 0 else "negative" if value < 0 else "neutral"


def keywords(token_lists: Iterable[Sequence[str]], top: int = 20) -> list[tuple[str, int]]:
    """The most frequent content words: tokens of two characters or more, not stop words, digits or masks;
    counted once per item (document frequency), so that one long text does not dominate."""
    counts: Counter[str] = Counter()
    stop = stopwords()
    for tokens in token_lists:
        counts.update({t for t in tokens if len(t) >= 2 and t not in stop and not _NOISE.match(t)})
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


@dataclass(frozen=True)
class Spike:
    is_spike: bool
    mean: float
    sigma: float
    threshold: float


def spike(history: Sequence[int], today: int, minimum: int = SPIKE_MIN) -> Spike:
    """``history``: the negative counts of the previous SPIKE_DAYS days (missing days are 0). Today is a spike
    when its count is above mean + 3σ (population σ) and at least ``minimum``."""
    days = list(history)[-SPIKE_DAYS:]
    days = [0] * (SPIKE_DAYS - len(days)) + days
    mean = sum(days) / SPIKE_DAYS
    sigma = math.sqrt(sum((d - mean) ** 2 for d in days) / SPIKE_DAYS)
    threshold = mean + SPIKE_SIGMAS * sigma
    return Spike(today > threshold and today >= minimum, round(mean, 2), round(sigma, 2), round(threshold, 2))

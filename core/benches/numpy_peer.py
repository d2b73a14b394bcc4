#!/usr/bin/env python3
"""A vectorised numpy peer of the Rust push-pull kernel (core/src/epidemic.rs), for benchmarks.

The model is the same: n nodes, node 0 informed at round 0; every round every node contacts one
peer uniform among the other n - 1 nodes; an informed node pushes to its peer, an uninformed
node pulls from its peer (request + reply); all exchanges read the state at the start of the
round. Messages are counted as in Rust (push: 1, pull: 2). The random numbers differ (numpy's
PCG64), so single runs differ, but the distributions are the same: the script prints the mean
rounds so the two can be compared (Rust: `lab dissemination --mode push-pull`).

Two timings, matching the criterion benches `trials/PushPull/1000x1000` and
`spread/PushPull/1000000`:

* 1000 trials at n = 1000, twice: vectorised across trials as well as nodes (a 1000 x 1000
  state, one row per trial), which is the fastest way we found to write it in numpy (see
  `spread_batch`), and one trial at a time (vectorised across nodes only), the straightforward
  way;
* one spread at n = 10^6.

With `--lab PATH` (the built runner, `target/release/examples/lab`) it instead times the
runner and numpy in turns, `--repeat` times each, so both see the same machine (a shared
machine's speed drifts by tens of per cent over minutes, so figures taken apart do not
compare): `lab dissemination --mode push-pull --nodes 1000 --trials 1000` with `--threads 1`
and `--threads 2`, end to end as a user runs it (process start and JSON output included),
against the batched numpy peer. It prints the medians and their ratios.

Usage: python3 core/benches/numpy_peer.py [--repeat R] [--lab PATH]
"""

import argparse
import time

import numpy as np


def spread_batch(n, trials, rng):
    """Runs `trials` push-pull spreads over `n` nodes at once; returns (rounds, messages) per trial.

    The state is one row per unfinished trial, flattened so that one fancy-indexing operation
    serves every trial: node j of row r is element r * n + j. What makes it fast, measured on
    the 2-core Xeon (the previous version took about 81 ms for 1000 x 1000, this one 64 ms; with
    numpy 2.4, installed by `make bench-numpy`, this one takes about 45 ms):
    * index arrays are `intp`, which numpy's gather and scatter use without a conversion (an
      `int32` index array made the pull gather 4 times slower);
    * the pushes are scattered from `np.flatnonzero` of the state, not through a boolean mask
      (`flat[state.ravel()]` on a half-set mask costs 4 ms per round in branch mispredictions);
    * finished trials leave the state, so late rounds only touch the trials still running.
    """
    state = np.zeros((trials, n), dtype=bool)
    state[:, 0] = True
    alive = np.arange(trials)  # trial id of each row of `state`
    rounds = np.zeros(trials, dtype=np.int64)
    messages = np.zeros(trials, dtype=np.int64)
    ids = np.arange(n, dtype=np.intp)
    r = 0
    while alive.size:
        r += 1
        t = state.shape[0]
        peers = rng.integers(0, n - 1, size=(t, n), dtype=np.intp)
        peers += peers >= ids  # skip over the node itself
        peers += (np.arange(t, dtype=np.intp) * n)[:, None]  # row offsets into the flat state
        flat = peers.ravel()
        known = state.ravel()
        nxt = known[flat]  # pull: every node learns what its peer knew at the start of the round
        nxt |= known  # (informed nodes push instead; they know already)
        nxt[flat[np.flatnonzero(known)]] = True  # push: informed nodes inform their peers
        nxt = nxt.reshape(t, n)
        # An informed node sends 1 message (its push), an uninformed one 2 (request, reply).
        messages[alive] += 2 * n - np.count_nonzero(state, axis=1)
        complete = nxt.all(axis=1)
        rounds[alive[complete]] = r
        if complete.any():
            alive = alive[~complete]
            state = nxt[~complete]
        else:
            state = nxt
    return rounds, messages


def spread_one(n, rng):
    """One push-pull spread over `n` nodes; returns (rounds, messages)."""
    informed = np.zeros(n, dtype=bool)
    informed[0] = True
    ids = np.arange(n)
    rounds = 0
    messages = 0
    count = 1
    while count < n:
        rounds += 1
        peers = rng.integers(0, n - 1, size=n, dtype=np.int64)
        peers += peers >= ids
        nxt = informed.copy()
        nxt[peers[informed]] = True
        nxt |= informed[peers]
        messages += count + 2 * (n - count)
        informed = nxt
        count = int(informed.sum())
    return rounds, messages


def best_of(repeat, f):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def versus_lab(lab, repeat, rng):
    """Times the runner and the numpy peer in turns; prints medians (ms) and ratios."""
    import statistics
    import subprocess

    args = ["dissemination", "--mode", "push-pull", "--nodes", "1000", "--trials", "1000"]
    times = {"numpy": [], "lab --threads 1": [], "lab --threads 2": []}
    for _ in range(repeat):
        t0 = time.perf_counter()
        spread_batch(1000, 1000, rng)
        times["numpy"].append(time.perf_counter() - t0)
        for threads in (1, 2):
            t0 = time.perf_counter()
            subprocess.run([lab, *args, "--threads", str(threads)], check=True, stdout=subprocess.DEVNULL)
            times[f"lab --threads {threads}"].append(time.perf_counter() - t0)
    numpy_ms = statistics.median(times["numpy"]) * 1e3
    for name, ts in times.items():
        ms = statistics.median(ts) * 1e3
        ratio = "" if name == "numpy" else f", numpy / this = {numpy_ms / ms:.1f}"
        print(f"{name}: median {ms:.1f} ms over {repeat} runs{ratio}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="timed repetitions: the best is reported (with --lab, the median)")
    ap.add_argument("--lab", help="the built runner: time it against numpy in turns")
    args = ap.parse_args()
    rng = np.random.default_rng(42)
    if args.lab:
        versus_lab(args.lab, args.repeat, rng)
        return
    secs, (rounds, messages) = best_of(args.repeat, lambda: spread_batch(1000, 1000, rng))
    print(f"numpy 1000 trials x n=1000 push-pull: {secs * 1e3:.1f} ms "
          f"(mean rounds {rounds.mean():.3f}, messages/node {messages.mean() / 1000:.3f})")
    secs, out = best_of(args.repeat, lambda: [spread_one(1000, rng) for _ in range(1000)])
    rounds = np.array([r for r, _ in out])
    print(f"numpy 1000 trials x n=1000 push-pull, one trial at a time: {secs * 1e3:.1f} ms "
          f"(mean rounds {rounds.mean():.3f})")
    secs, (rounds, messages) = best_of(args.repeat, lambda: spread_one(10**6, rng))
    print(f"numpy one spread n=10^6 push-pull: {secs * 1e3:.1f} ms "
          f"(rounds {rounds}, messages/node {messages / 1e6:.3f})")


if __name__ == "__main__":
    main()

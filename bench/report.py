"""The load benchmark's report: one table from the JSON lines bench/load.sh collected, PeerDesk's
question page and home as a share of the ceiling's throughput, the targets of issue 6 checked,
and the whole written as one JSON file.

    python3 bench/report.py RESULTS.jsonl OUT.json BACKEND SCALE
"""

import json
import platform
import sys
from datetime import datetime, timezone

# (load, what it is measured against): throughput share of a ceiling load, p99 limit in ms.
SHARE = {"question page": ("ceiling question page", 0.60), "home": ("ceiling home", 0.60),
         "question page, signed in": ("ceiling question page", 0.40)}
P99_MS = {"question page": 25, "home": 25, "unanswered": 25, "tag page": 25, "search": 50,
          "search, new queries": 50, "question page, signed in": 25}
RSS_LIMIT_KB = 150 * 1024
# At a million questions (PostgreSQL) the targets are latencies only: the ceiling seeds its own
# 10,000 questions, so a share of its throughput would compare different sizes.
LARGE = 1_000_000
P99_MS_LARGE = {"question page": 30, "home": 50, "unanswered": 50, "tag page": 50, "search": 100,
                "search, new queries": 100}


def main():
    src, out, backend, scale = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    rows = [json.loads(line) for line in open(src) if line.strip()]
    by = {r["load"]: r for r in rows}
    large = scale >= LARGE
    share_targets = {} if large else SHARE
    p99_targets = P99_MS_LARGE if large else P99_MS
    misses = []
    print()
    print(f"PeerDesk load benchmark — {backend}, {scale} questions, "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    head = f"{'load':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'wrong':>6} {'peak RSS':>9} {'vs ceiling':>11}"
    print(head)
    print("-" * len(head))
    for r in rows:
        wrong = r["not_the_page"] + r["socket_errors"] + r["timeouts"]
        share = ""
        if r["load"] in share_targets:
            ceiling, need = share_targets[r["load"]]
            ratio = r["rps"] / by[ceiling]["rps"] if by.get(ceiling, {}).get("rps") else 0.0
            r["share_of_ceiling"] = round(ratio, 3)
            share = f"{ratio:.0%}"
            if ratio < need:
                misses.append(f"{r['load']}: {ratio:.0%} of the ceiling (target {need:.0%})")
        if r["load"] in p99_targets and r["p99_ms"] > p99_targets[r["load"]]:
            misses.append(f"{r['load']}: p99 {r['p99_ms']:.1f} ms (target {p99_targets[r['load']]} ms)")
        if not r["load"].startswith("ceiling"):
            if wrong:
                seen = f" (one was HTTP {r['a_wrong_status']})" if r.get("a_wrong_status") else ""
                misses.append(f"{r['load']}: {wrong} wrong responses{seen}")
            if not large and r["peak_rss_kb"] > RSS_LIMIT_KB:
                misses.append(f"{r['load']}: peak RSS {r['peak_rss_kb'] / 1024:.0f} MB (target 150 MB)")
        print(f"{r['load']:28} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {wrong:6d} "
              f"{r['peak_rss_kb'] / 1024:8.0f}M {share:>11}")
    print()
    print("every target met" if not misses else "targets missed:\n  " + "\n  ".join(misses))
    report = {
        "backend": backend,
        "questions": scale,
        "taken_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": __import__("os").cpu_count(), "platform": platform.platform()},
        "loads": rows,
        "targets_missed": misses,
    }
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
    print(f"written to {out}")


if __name__ == "__main__":
    main()

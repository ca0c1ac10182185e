"""Print the load test's figures from Locust's CSV files and check the targets (bench/load.sh).

`python -m bench.load.report PREFIX [PREFIX...]`: each PREFIX is one run's `--csv` prefix, named
`...u<users>`. Per page: requests, errors, throughput, median and 95th percentile. Targets (issue
18): no errors in any run; at 50 users, every page's 95th percentile <= 0.5 s. Exits 1 when missed.
"""

import csv
import re
import sys

P95_TARGET_MS = 500
TARGET_USERS = 50


def rows(prefix):
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return list(csv.DictReader(stats))


def main(prefixes):
    missed = []
    measured = [int(re.search(r"u(\d+)$", prefix).group(1)) for prefix in prefixes]
    if TARGET_USERS not in measured:
        missed.append(f"no run at {TARGET_USERS} users, so the p95 target was not checked")
    for prefix in prefixes:
        users = int(re.search(r"u(\d+)$", prefix).group(1))
        print(f"\n{users} concurrent users")
        print(f"{'page':<22} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}  target")
        for row in rows(prefix):
            name = row["Name"] if row["Name"] != "Aggregated" else "all pages"
            requests, errors = int(row["Request Count"]), int(row["Failure Count"])
            p50, p95 = (float(row[key]) if row[key] not in ("", "N/A") else 0.0 for key in ("50%", "95%"))
            verdict = ""
            if errors:
                missed.append(f"{users} users, {name}: {errors} errors")
                verdict = "ERRORS"
            if users == TARGET_USERS and row["Name"] != "Aggregated":
                ok = p95 <= P95_TARGET_MS
                verdict = verdict or ("pass" if ok else "MISSED")
                if not ok:
                    missed.append(f"{users} users, {name}: p95 {p95:.0f} ms > {P95_TARGET_MS} ms")
            print(f"{name:<22} {requests:>9} {errors:>7} {float(row['Requests/s']):>7.1f} {p50:>7.0f} {p95:>7.0f}  {verdict}")
    print()
    print("load test targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The peers slacalc is measured against, on the benchmark file: DuckDB (2 threads) and pandas
compute the same monthly report per channel — service level (answered within 20 s over
offered), ASA, 90th-percentile wait, AHT — from the CSV on disk. Prints one JSON line per peer
with the median of `runs` timings in milliseconds.

    python bench/peers.py contacts.csv 5
"""

import json
import statistics
import sys
import time

import duckdb
import pandas

REPORT_SQL = """
SELECT date_trunc('month', arrived) AS month, channel,
       100.0 * count(*) FILTER (WHERE abandoned = 0 AND wait <= 20) / count(*) AS service_level,
       avg(wait) FILTER (WHERE abandoned = 0) AS asa,
       quantile_disc(wait, 0.9) AS p90_wait,
       avg(handle) FILTER (WHERE abandoned = 0) AS aht
FROM read_csv('{path}', header = true, auto_detect = true)
GROUP BY ALL ORDER BY ALL
"""


def duckdb_report(path):
    connection = duckdb.connect()
    connection.execute("SET threads TO 2")
    rows = connection.execute(REPORT_SQL.format(path=path)).fetchall()
    connection.close()
    return rows


def pandas_report(path):
    frame = pandas.read_csv(path, parse_dates=["arrived"])
    frame["month"] = frame["arrived"].dt.to_period("M")
    answered = frame[frame["abandoned"] == 0]
    groups = frame.groupby(["month", "channel"])
    report = pandas.DataFrame(
        {
            "service_level": 100.0 * (answered["wait"] <= 20).groupby([answered["month"], answered["channel"]]).sum()
            / groups.size(),
            "asa": answered.groupby(["month", "channel"])["wait"].mean(),
            "p90_wait": groups["wait"].quantile(0.9, interpolation="lower"),
            "aht": answered.groupby(["month", "channel"])["handle"].mean(),
        }
    )
    return report


def median_ms(run, path, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    for name, run, version in [
        ("duckdb (2 threads)", duckdb_report, duckdb.__version__),
        ("pandas", pandas_report, pandas.__version__),
    ]:
        print(json.dumps({"peer": name, "version": version, "wholeMs": round(median_ms(run, path, runs))}))


if __name__ == "__main__":
    main()

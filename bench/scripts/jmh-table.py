#!/usr/bin/env python3
"""Turns a JMH JSON result file (-rf json) into the Markdown table used in docs/PERFORMANCE.md.

One row per (variant, benchmark): JMH's wall-clock score +- 99.9% error and the median of the per-iteration
averages; when the run used -prof io.janus.bench.CpuTimeProfiler, the median and range of the per-iteration CPU
time per operation (robust on a busy machine); when it used -prof gc, the bytes allocated per operation.
Usage: jmh-table.py result.json
"""
import json
import statistics
import sys


def iterations(metric):
    return [x for fork in metric.get("rawData", []) for x in fork]


def main(path):
    with open(path) as f:
        runs = json.load(f)
    print("| variant | step | wall score ± error (us/op) | wall median | CPU median (min – max) | alloc B/op |")
    print("|---|---|---:|---:|---:|---:|")
    for run in runs:
        name = run["benchmark"].rsplit(".", 1)[1]
        # Prio3Benchmark has one parameter (variant), HpkeBenchmark another (provider): show whichever is set.
        variant = ", ".join(run.get("params", {}).values())
        m = run["primaryMetric"]
        wall = iterations(m)
        secondary = run.get("secondaryMetrics", {})
        cpu = iterations(secondary.get("cpu.time.per.op", {}))
        alloc = secondary.get("gc.alloc.rate.norm")
        cpu_text = f"{statistics.median(cpu):,.2f} ({min(cpu):,.2f} – {max(cpu):,.2f})" if cpu else ""
        alloc_text = f"{alloc['score']:,.0f}" if alloc else ""
        print(f"| {variant} | {name} | {m['score']:,.2f} ± {m['scoreError']:,.2f} | {statistics.median(wall):,.2f} "
              f"| {cpu_text} | {alloc_text} |")


if __name__ == "__main__":
    main(sys.argv[1])

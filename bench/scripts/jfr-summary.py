#!/usr/bin/env python3
"""Where a JFR recording's CPU samples go, by component: the share of jdk.ExecutionSample events (Java code running
on a CPU) whose stack holds a frame of each component, the innermost matching rule winning.

    python3 bench/scripts/jfr-summary.py upload.jfr [--per-report-us 125] [--exclude-thread e2e-upload]

--per-report-us turns the shares into microseconds per report (the run's JVM CPU per report, which the harnesses
print). --exclude-thread drops samples of threads whose name starts with the prefix (the load generators' own).
JIT compiler and GC threads are not in execution samples; the harness's CPU figure includes them, so the
per-report figures of the components add up to less than it.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

# (component, substrings of "class.method" of a frame); the first rule that matches the innermost-first walk wins,
# so specific rules (HPKE's X25519) come before the callers they run under (the upload handler).
RULES = [
    ("HPKE: X25519", ["OpenSslX25519", "X25519Field", "X25519.", "rfc7748", "X25519Providers"]),
    ("HPKE: HKDF, AES-GCM", ["io.janus.core.hpke", "com.sun.crypto.provider", "sun.security.provider.SHA",
                             "javax.crypto"]),
    ("Prio3 (vdaf)", ["io.janus.vdaf"]),
    ("wire codecs (messages)", ["io.janus.messages"]),
    ("PostgreSQL JDBC driver", ["org.postgresql"]),
    ("connection pool (HikariCP)", ["com.zaxxer.hikari"]),
    ("datastore (tables, transactions)", ["io.janus.server.datastore"]),
    ("HTTP client (Leader to Helper)", ["jdk.internal.net.http", "io.janus.core.http"]),
    ("HTTP server (Helidon)", ["io.helidon"]),
    ("load generator", ["io.janus.bench"]),
    ("aggregator (upload, Helper)", ["io.janus.aggregator"]),
    ("job drivers and creator", ["io.janus.aggregationjobdriver", "io.janus.aggregationjobcreator",
                                 "io.janus.collectionjobdriver", "io.janus.server.job"]),
    ("telemetry (Micrometer, OpenTelemetry)", ["io.micrometer", "io.opentelemetry"]),
    ("other janus code", ["io.janus"]),
]


def frames_of(event):
    for f in event.get("stackTrace", {}).get("frames", []):
        m = f.get("method", {})
        yield m.get("type", {}).get("name", "") + "." + m.get("name", "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--per-report-us", type=float)
    ap.add_argument("--exclude-thread", action="append", default=[])
    args = ap.parse_args()
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")
    out = subprocess.run([java, "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                          args.recording], check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    counts = collections.Counter()
    total = 0
    for e in events:
        thread = (e["values"].get("sampledThread") or {}).get("javaName") or ""
        if any(thread.startswith(p) for p in args.exclude_thread):
            continue
        total += 1
        names = list(frames_of(e["values"]))
        component = "JDK and libraries (other)"
        for frame in names:
            hit = next((c for c, keys in RULES if any(k in frame for k in keys)), None)
            if hit:
                component = hit
                break
        counts[component] += 1
    if total == 0:
        sys.exit("no execution samples in " + args.recording)
    print(f"{total} execution samples in {args.recording}")
    header = "| component | share |" + (" us per report |" if args.per_report_us else "")
    print(header)
    print("|---|---:|" + ("---:|" if args.per_report_us else ""))
    for component, n in counts.most_common():
        row = f"| {component} | {100.0 * n / total:.1f}% |"
        if args.per_report_us:
            row += f" {args.per_report_us * n / total:.0f} |"
        print(row)


if __name__ == "__main__":
    main()

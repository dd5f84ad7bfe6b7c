#!/usr/bin/env python3
"""Where a JFR recording's CPU goes, by component: the share of samples whose stack holds a frame of each component,
the innermost matching frame deciding.

    java '-XX:StartFlightRecording=filename=run.jfr,settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms' ...
    python3 bench/scripts/jfr-summary.py run.jfr [--per-report-us 125] [--exclude-thread pool-]

The samples are jdk.CPUTimeSample (Java 25's CPU-time sampler on Linux: one sample per 2 ms of a thread's CPU,
native code included, so OpenSSL's X25519 shows) when the recording has them, else jdk.ExecutionSample (Java code
only, every 10 ms). --per-report-us turns the shares into microseconds per report (the run's JVM CPU per report,
which the harnesses print). --exclude-thread drops samples of threads whose name starts with the prefix (the load
generators' corpus threads are "pool-"). JIT compiler and GC threads are not sampled; the harnesses' CPU figure
includes them, so the components' per-report figures add up to the sampled share of it.
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
    ("HPKE: X25519", ["OpenSslX25519", "X25519Field", "rfc7748", "X25519Providers", "BouncyCastleX25519"]),
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
    for f in (event.get("stackTrace") or {}).get("frames", []):
        m = f.get("method", {})
        yield (m.get("type", {}).get("name", "") + "." + m.get("name", "")).replace("/", ".")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--per-report-us", type=float)
    ap.add_argument("--exclude-thread", action="append", default=[])
    args = ap.parse_args()
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")

    def events_of(name):
        out = subprocess.run([jfr, "print", "--json", "--stack-depth", "128", "--events", name, args.recording],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)["recording"]["events"]

    event = "jdk.CPUTimeSample"
    events = events_of(event)
    if not events:
        event = "jdk.ExecutionSample"
        events = events_of(event)
    counts = collections.Counter()
    total = 0
    for e in events:
        v = e["values"]
        thread = (v.get("sampledThread") or v.get("eventThread") or {}).get("javaName") or ""
        if any(thread.startswith(p) for p in args.exclude_thread):
            continue
        total += 1
        names = list(frames_of(v))
        component = "JDK and libraries (other)"
        for frame in names:
            hit = next((c for c, keys in RULES if any(k in frame for k in keys)), None)
            if hit:
                component = hit
                break
        counts[component] += 1
    if total == 0:
        sys.exit("no execution samples in " + args.recording)
    print(f"{total} {event} samples in {args.recording}")
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

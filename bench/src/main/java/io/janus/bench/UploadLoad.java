package io.janus.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop upload load: {@code connections} workers, each on its own persistent connection, send the
 * corpus's requests one after another (next request as soon as the previous answer arrives) until the corpus is
 * used up or the time limit passes. Requests completing during the warm-up are sent but not measured.
 *
 * <p>Closed-loop means a slow server slows the offered load down with it, so the latencies are those at the
 * sustained rate, not under a fixed arrival rate.
 */
final class UploadLoad {
  /**
   * What one run measured.
   *
   * @param connections the number of concurrent connections
   * @param windowNanos the measured window: from the end of the warm-up to the last completion
   * @param statuses how many measured requests got each HTTP status; status 0 counts connection failures
   * @param latency latency percentiles of the measured requests
   * @param cpuNanos CPU time this JVM (Leader and load generator together) used during the measured window
   */
  record Result(int connections, long windowNanos, Map<Integer, Integer> statuses, LatencySummary latency,
      long cpuNanos) {
    /** Measured requests, whatever their outcome. */
    int measured() {
      return latency.count();
    }

    /** Measured requests answered 201 Created. */
    int created() {
      return statuses.getOrDefault(201, 0);
    }

    /** This JVM's CPU time per measured request, in microseconds: the cost of one upload, whatever the load. */
    double cpuMicrosPerRequest() {
      return cpuNanos / 1e3 / measured();
    }

    /** Sustained accepted uploads per second over the measured window. */
    double reportsPerSecond() {
      return created() * 1e9 / windowNanos;
    }
  }

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private UploadLoad() {}

  /**
   * Runs the load against {@code 127.0.0.1:port}.
   *
   * @param warmupNanos how long requests are sent before measuring starts
   * @param durationNanos how long requests are sent after the warm-up (the corpus may run out first)
   * @throws IllegalStateException if no request completed after the warm-up (corpus too small for it)
   */
  static Result run(ReportCorpus corpus, int port, int connections, long warmupNanos, long durationNanos)
      throws InterruptedException {
    int n = corpus.size();
    long[] latency = new long[n];
    long[] doneAt = new long[n];
    int[] status = new int[n];
    AtomicInteger next = new AtomicInteger();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long deadline = measureFrom + durationNanos;
    List<Thread> workers = new ArrayList<>(connections);
    for (int w = 0; w < connections; w++) {
      workers.add(Thread.ofPlatform().name("upload-load-" + w).start(() -> {
        try (HttpUploadConnection connection = new HttpUploadConnection(address)) {
          while (System.nanoTime() < deadline) {
            int i = next.getAndIncrement();
            if (i >= n) {
              return;
            }
            long t0 = System.nanoTime();
            int s;
            try {
              s = connection.send(corpus.request(i));
            } catch (IOException e) {
              s = 0;
            }
            long t1 = System.nanoTime();
            latency[i] = t1 - t0;
            doneAt[i] = t1;
            status[i] = s;
          }
        }
      }));
    }
    // The CPU clock starts with the measured window; it stops after the last worker, close to the last completion.
    long untilMeasuring = measureFrom - System.nanoTime();
    if (untilMeasuring > 0) {
      Thread.sleep(untilMeasuring / 1_000_000, (int) (untilMeasuring % 1_000_000));
    }
    long cpuAtStart = OS.getProcessCpuTime();
    for (Thread worker : workers) {
      worker.join();
    }
    long cpuNanos = OS.getProcessCpuTime() - cpuAtStart;
    int sent = Math.min(next.get(), n);
    long[] measured = new long[sent];
    int m = 0;
    long last = measureFrom;
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < sent; i++) {
      if (doneAt[i] >= measureFrom) {
        measured[m++] = latency[i];
        last = Math.max(last, doneAt[i]);
        statuses.merge(status[i], 1, Integer::sum);
      }
    }
    if (m == 0) {
      throw new IllegalStateException("no request completed after the warm-up: " + sent
          + " requests were sent in all; use more reports or a shorter warm-up");
    }
    return new Result(connections, last - measureFrom, statuses, LatencySummary.of(measured, m), cpuNanos);
  }
}

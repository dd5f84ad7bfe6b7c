package io.janus.bench;

import io.janus.client.Client;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Valid upload requests built before timing starts: each report is sharded and its input shares HPKE-sealed by
 * the production {@link Client}, then wrapped in a complete HTTP/1.1 {@code PUT} so that sending it costs one
 * socket write.
 */
final class ReportCorpus {
  private final byte[][] requests;

  private ReportCorpus(byte[][] requests) {
    this.requests = requests;
  }

  /**
   * Builds {@code count} upload requests for {@code client}'s task, stamped {@code time}, addressed to the Leader
   * at {@code 127.0.0.1:port}, on {@code threads} platform threads. Measurements alternate 0 and 1.
   */
  static ReportCorpus generate(Client client, int port, Time time, int count, int threads)
      throws InterruptedException {
    byte[][] requests = new byte[count][];
    String path = Dap09.reportsPath(client.taskId());
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> parts = new ArrayList<>(threads);
      for (int t = 0; t < threads; t++) {
        int from = (int) ((long) count * t / threads);
        int to = (int) ((long) count * (t + 1) / threads);
        parts.add(pool.submit(() -> {
          for (int i = from; i < to; i++) {
            byte[] body = client.prepareReport(new long[] {i & 1}, time).toBytes();
            requests[i] = HttpUploadConnection.putRequest("127.0.0.1", port, path, Dap09.MEDIA_TYPE_REPORT, body);
          }
        }));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("report generation failed", e.getCause());
    }
    return new ReportCorpus(requests);
  }

  /** How many requests the corpus holds. */
  int size() {
    return requests.length;
  }

  /** The {@code i}-th encoded request; not copied (the load loop only writes it to a socket). */
  byte[] request(int i) {
    return requests[i];
  }
}

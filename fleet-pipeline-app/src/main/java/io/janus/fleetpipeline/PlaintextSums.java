package io.janus.fleetpipeline;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the agents sent, summed in the clear per data type and batch window, read from their {@code [debug] dump}
 * lines ({@code janus-agent dump: <type> <time> [v0, v1, ...]}). The pipeline prints it next to each collected
 * aggregate: they must agree, and only the pipeline's own agents are ever summed like this. Thread-safe: every
 * agent writes into the same instance.
 */
final class PlaintextSums extends OutputStream {
  private record Key(String dataType, long windowStart) {}

  private final long windowSeconds;
  private final ReentrantLock lock = new ReentrantLock();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Map<Key, long[]> sums = new HashMap<>();
  private final Map<Key, Long> counts = new HashMap<>();

  PlaintextSums(long windowSeconds) {
    this.windowSeconds = windowSeconds;
  }

  @Override
  public void write(int b) {
    lock.lock();
    try {
      if (b == '\n') {
        add(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    } finally {
      lock.unlock();
    }
  }

  private void add(String text) {
    String prefix = "janus-agent dump: ";
    if (!text.startsWith(prefix)) {
      return;
    }
    String[] parts = text.substring(prefix.length()).split(" ", 3);
    long time = Long.parseLong(parts[1]);
    String[] values = parts[2].replace("[", "").replace("]", "").split(",\\s*");
    Key key = new Key(parts[0], Math.floorDiv(time, windowSeconds) * windowSeconds);
    long[] sum = sums.computeIfAbsent(key, k -> new long[values.length]);
    for (int i = 0; i < values.length; i++) {
      sum[i] += Long.parseLong(values[i]);
    }
    counts.merge(key, 1L, Long::sum);
  }

  /** The sum of what was sent for {@code dataType} in the window starting at {@code windowStart} (seconds). */
  Optional<long[]> sum(String dataType, long windowStart) {
    lock.lock();
    try {
      return Optional.ofNullable(sums.get(new Key(dataType, windowStart))).map(long[]::clone);
    } finally {
      lock.unlock();
    }
  }

  /** How many measurements were sent for {@code dataType} in that window. */
  long count(String dataType, long windowStart) {
    lock.lock();
    try {
      return counts.getOrDefault(new Key(dataType, windowStart), 0L);
    } finally {
      lock.unlock();
    }
  }
}

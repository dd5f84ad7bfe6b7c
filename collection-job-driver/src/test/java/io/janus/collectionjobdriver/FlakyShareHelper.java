package io.janus.collectionjobdriver;

import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.core.http.DapRequestException;
import io.janus.core.task.Task;
import io.janus.messages.HpkeCiphertext;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/** A Helper that fails its first {@code failures} requests transiently (503), then passes requests on. */
final class FlakyShareHelper implements AggregateShareHelper {
  private final AggregateShareHelper real;
  private final AtomicInteger failuresLeft;
  final AtomicInteger calls = new AtomicInteger();

  FlakyShareHelper(AggregateShareHelper real, int failures) {
    this.real = real;
    this.failuresLeft = new AtomicInteger(failures);
  }

  @Override
  public HpkeCiphertext aggregateShare(Task task, BatchIdentifier batch, byte[] aggregationParameter,
      long reportCount, byte[] checksum, Instant deadline) throws InterruptedException {
    calls.incrementAndGet();
    if (failuresLeft.getAndDecrement() > 0) {
      throw new DapRequestException("helper unavailable", OptionalInt.of(503), true, new byte[0], null);
    }
    return real.aggregateShare(task, batch, aggregationParameter, reportCount, checksum, deadline);
  }
}

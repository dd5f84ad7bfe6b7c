package io.janus.server.testing;

import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.ReportExtension;
import java.util.List;

/** {@link io.janus.core.testing.Fixtures} plus the datastore's records. Not thread-safe. */
public final class Fixtures extends io.janus.core.testing.Fixtures {
  /** Fixtures from a time-based seed. */
  public Fixtures() {
    super();
  }

  /** Fixtures from {@code seed}, for a reproducible run. */
  public Fixtures(long seed) {
    super(seed);
  }

  /** A random Leader-side report of {@code taskId} at {@code time}, with a private and a public extension. */
  public LeaderStoredReport report(TaskId taskId, Time time) {
    return new LeaderStoredReport(taskId, reportId(), time, List.of(new ReportExtension(0xff00, bytes(4))),
        bytes(8), bytes(24), ciphertext(), List.of(new ReportExtension(0x0100, bytes(3))));
  }
}

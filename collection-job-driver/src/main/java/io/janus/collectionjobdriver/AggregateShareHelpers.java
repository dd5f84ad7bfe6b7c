package io.janus.collectionjobdriver;

import io.janus.collectionjobdriver.dap09.Dap09AggregateShareHelper;
import io.janus.collectionjobdriver.dap18.Dap18AggregateShareHelper;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.core.http.DapHttpClient;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.messages.HpkeCiphertext;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Helper's aggregate-share API for every DAP draft this build speaks: each call goes to the draft the task
 * records ({@link Task#protocol()}). A new draft registers its implementation in {@link #all}.
 */
public final class AggregateShareHelpers implements AggregateShareHelper {
  private final Map<DapVersion, AggregateShareHelper> byVersion;

  /** Dispatches over {@code byVersion}; a task of a draft not in it fails its step. */
  public AggregateShareHelpers(Map<DapVersion, AggregateShareHelper> byVersion) {
    this.byVersion = new EnumMap<>(byVersion);
  }

  /** Every draft this build speaks, over one HTTP client. */
  public static AggregateShareHelpers all(DapHttpClient http) {
    return new AggregateShareHelpers(Map.of(DapVersion.DAP_09, new Dap09AggregateShareHelper(http),
        DapVersion.DAP_18, new Dap18AggregateShareHelper(http)));
  }

  @Override
  public HpkeCiphertext aggregateShare(Task task, BatchIdentifier batch, byte[] aggregationParameter,
      long reportCount, byte[] checksum, Instant deadline) throws InterruptedException {
    AggregateShareHelper h = byVersion.get(task.protocol());
    if (h == null) {
      throw new IllegalStateException("task " + task.id() + " speaks " + task.protocol()
          + ", which this collection job driver does not");
    }
    return h.aggregateShare(task, batch, aggregationParameter, reportCount, checksum, deadline);
  }
}

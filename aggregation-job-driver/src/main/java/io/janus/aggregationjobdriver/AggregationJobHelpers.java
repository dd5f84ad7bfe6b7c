package io.janus.aggregationjobdriver;

import io.janus.aggregationjobdriver.dap09.Dap09AggregationJobHelper;
import io.janus.aggregationjobdriver.dap18.Dap18AggregationJobHelper;
import io.janus.core.http.DapHttpClient;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import java.net.URI;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Helper's aggregation-job API for every DAP draft this build speaks: each call goes to the draft the task
 * records ({@link Task#protocol()}). A new draft registers its implementation in {@link #all}; nothing else in
 * the driver changes.
 */
public final class AggregationJobHelpers implements AggregationJobHelper {
  private final Map<DapVersion, AggregationJobHelper> byVersion;

  /** Dispatches over {@code byVersion}; a task of a draft not in it fails its step. */
  public AggregationJobHelpers(Map<DapVersion, AggregationJobHelper> byVersion) {
    this.byVersion = new EnumMap<>(byVersion);
  }

  /** Every draft this build speaks, over one HTTP client. */
  public static AggregationJobHelpers all(DapHttpClient http) {
    return new AggregationJobHelpers(Map.of(DapVersion.DAP_09, new Dap09AggregationJobHelper(http),
        DapVersion.DAP_18, new Dap18AggregationJobHelper(http)));
  }

  private AggregationJobHelper of(Task task) {
    AggregationJobHelper h = byVersion.get(task.protocol());
    if (h == null) {
      throw new IllegalStateException("task " + task.id() + " speaks " + task.protocol()
          + ", which this aggregation job driver does not");
    }
    return h;
  }

  @Override
  public Initialized initialize(Task task, AggregationJobId jobId, byte[] aggregationParameter,
      Optional<BatchId> batchId, List<PrepareInit> inits, Instant deadline) throws InterruptedException {
    return of(task).initialize(task, jobId, aggregationParameter, batchId, inits, deadline);
  }

  @Override
  public List<PrepareResponse> continueJob(Task task, AggregationJobId jobId, Optional<URI> helperLocation,
      int step, List<PrepareContinue> continues, Instant deadline) throws InterruptedException {
    return of(task).continueJob(task, jobId, helperLocation, step, continues, deadline);
  }

  @Override
  public void delete(Task task, AggregationJobId jobId, Optional<URI> helperLocation, Instant deadline)
      throws InterruptedException {
    of(task).delete(task, jobId, helperLocation, deadline);
  }
}

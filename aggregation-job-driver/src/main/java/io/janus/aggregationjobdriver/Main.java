package io.janus.aggregationjobdriver;

import io.janus.aggregationjobdriver.dap09.Dap09AggregationJobHelper;
import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;
import io.janus.core.job.RetryingHttpClient;
import io.janus.core.vdaf.VdafDispatch;
import java.security.SecureRandom;

/** The {@code aggregation_job_driver} binary: steps the Leader's aggregation jobs against the Helper until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  static final String NAME = "aggregation_job_driver";

  private Main() {}

  /** Runs the driver; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BinaryHarness.run(NAME, args, AggregationJobDriverConfig.class, Main::run));
  }

  /** The binary's body: a {@link io.janus.core.job.JobDriver} over the DAP-09 Helper API until stopped. */
  static void run(BinaryContext<AggregationJobDriverConfig> ctx) throws InterruptedException {
    AggregationJobDriverConfig c = ctx.config();
    AggregationJobHelper helper = new Dap09AggregationJobHelper(
        RetryingHttpClient.create(c.http(), ctx.clock(), ctx.stopper()));
    new AggregationJobDriver(ctx.datastore(), ctx.clock(), VdafDispatch::forInstance, helper, c.settings(),
        new SecureRandom(), ctx.meters())
        .jobDriver(c.jobDriver().settings(), ctx.meters())
        .run(ctx.stopper());
  }
}

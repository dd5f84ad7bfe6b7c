package io.janus.collectionjobdriver;

import io.janus.collectionjobdriver.dap09.Dap09AggregateShareHelper;
import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;
import io.janus.core.job.RetryingHttpClient;
import io.janus.core.vdaf.VdafDispatch;

/** The {@code collection_job_driver} binary: completes the Leader's collection jobs until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  static final String NAME = "collection_job_driver";

  private Main() {}

  /** Runs the driver; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BinaryHarness.run(NAME, args, CollectionJobDriverConfig.class, Main::run));
  }

  /** The binary's body: a {@link io.janus.core.job.JobDriver} over the DAP-09 Helper API until stopped. */
  static void run(BinaryContext<CollectionJobDriverConfig> ctx) throws InterruptedException {
    CollectionJobDriverConfig c = ctx.config();
    AggregateShareHelper helper = new Dap09AggregateShareHelper(
        RetryingHttpClient.create(c.http(), ctx.clock(), ctx.stopper()));
    new CollectionJobDriver(ctx.datastore(), ctx.clock(), VdafDispatch::forInstance, helper, c.settings(),
        ctx.meters())
        .jobDriver(c.jobDriver().settings(), ctx.meters())
        .run(ctx.stopper());
  }
}

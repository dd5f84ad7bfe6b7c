package io.janus.aggregationjobcreator;

import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;
import java.security.SecureRandom;
import java.time.Duration;

/** The {@code aggregation_job_creator} binary: turns unaggregated reports into aggregation jobs until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  static final String NAME = "aggregation_job_creator";

  private Main() {}

  /** Runs the creator; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BinaryHarness.run(NAME, args, AggregationJobCreatorConfig.class, Main::run));
  }

  /** The binary's body: a creation round at once, then one every {@code aggregation_job_creation_interval_s}. */
  static void run(BinaryContext<AggregationJobCreatorConfig> ctx) throws InterruptedException {
    AggregationJobCreatorConfig c = ctx.config();
    new AggregationJobCreator(ctx.datastore(), ctx.clock(), c.settings(), new SecureRandom(), ctx.meters())
        .run(ctx.stopper(), Duration.ofSeconds(c.aggregationJobCreationIntervalS()),
            Duration.ofSeconds(c.tasksUpdateFrequencyS()));
  }
}

package io.janus.collectionjobdriver;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.server.binary.BinaryDefinition;
import io.janus.server.binary.BinaryHarness;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.RunningBinary;
import io.janus.server.job.JobDriver;
import io.janus.server.job.PeerHttpConfig;
import io.janus.core.http.DapHttpClient;

/** The {@code collection_job_driver} binary: completes the Leader's collection jobs until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  public static final String NAME = "collection_job_driver";

  /** The binary as a value, for {@link io.janus.server.binary.InProcessRunner}. */
  public static final BinaryDefinition<CollectionJobDriverConfig> BINARY =
      new BinaryDefinition<>(NAME, CollectionJobDriverConfig.class, Main::start);

  /**
   * What the driver needs from its configuration; durations finer than the file's whole seconds are allowed.
   *
   * @param driver shards, attempts, retry delays of unfinished collections, failure backoff
   * @param jobDriver discovery interval, workers, lease duration and skew
   * @param http timeouts and retries of requests to the Helper
   */
  public record Settings(CollectionJobDriver.Settings driver, JobDriver.Settings jobDriver, PeerHttpConfig http) {
    /** The settings {@code config} describes. */
    public static Settings of(CollectionJobDriverConfig config) {
      return new Settings(config.settings(), config.jobDriver().settings(), config.http());
    }
  }

  private Main() {}

  /** Runs the driver; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BINARY.main(args));
  }

  /** Starts the driver: a {@link JobDriver} over the Helper API of each task's DAP draft until {@code services.stopper()} trips. */
  public static RunningBinary start(CollectionJobDriverConfig config, BinaryServices services) {
    return start(Settings.of(config), services);
  }

  /** {@link #start(CollectionJobDriverConfig, BinaryServices)} from settings. */
  public static RunningBinary start(Settings settings, BinaryServices services) {
    return RunningBinary.start(NAME, services.stopper(), started -> {
      AggregateShareHelper helper = AggregateShareHelpers.all(
          settings.http().client(services.clock(), services.stopper().sleeper(),
              services.openTelemetry()));
      JobDriver<?> driver = new CollectionJobDriver(services.datastore(), services.clock(),
          TaskVdafs.PRODUCTION, helper, settings.driver(), services.meters())
          .jobDriver(settings.jobDriver(), services.meters()).tracing(services.openTelemetry());
      started.accept(RunningBinary.Started.working(services.meters()));
      driver.run(services.stopper());
    });
  }
}

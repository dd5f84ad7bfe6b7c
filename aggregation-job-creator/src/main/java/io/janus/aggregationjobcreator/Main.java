package io.janus.aggregationjobcreator;

import io.janus.server.binary.BinaryDefinition;
import io.janus.server.binary.BinaryHarness;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.RunningBinary;
import java.security.SecureRandom;
import java.time.Duration;

/** The {@code aggregation_job_creator} binary: turns unaggregated reports into aggregation jobs until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  public static final String NAME = "aggregation_job_creator";

  /** The binary as a value, for {@link io.janus.server.binary.InProcessRunner}. */
  public static final BinaryDefinition<AggregationJobCreatorConfig> BINARY =
      new BinaryDefinition<>(NAME, AggregationJobCreatorConfig.class, Main::start);

  /**
   * What the creator needs from its configuration; durations finer than the file's whole seconds are allowed.
   *
   * @param creator job sizes, report window and shards
   * @param creationInterval {@code aggregation_job_creation_interval_s}: the pause between creation rounds
   * @param tasksUpdateFrequency {@code tasks_update_frequency_s}: how often the task list is re-read
   */
  public record Settings(AggregationJobCreator.Settings creator, Duration creationInterval,
      Duration tasksUpdateFrequency) {
    /** The settings {@code config} describes. */
    public static Settings of(AggregationJobCreatorConfig config) {
      return new Settings(config.settings(), Duration.ofSeconds(config.aggregationJobCreationIntervalS()),
          Duration.ofSeconds(config.tasksUpdateFrequencyS()));
    }
  }

  private Main() {}

  /** Runs the creator; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BINARY.main(args));
  }

  /** Starts the creator: a creation round at once, then one every {@code aggregation_job_creation_interval_s}. */
  public static RunningBinary start(AggregationJobCreatorConfig config, BinaryServices services) {
    return start(Settings.of(config), services);
  }

  /** {@link #start(AggregationJobCreatorConfig, BinaryServices)} from settings. */
  public static RunningBinary start(Settings settings, BinaryServices services) {
    return RunningBinary.start(NAME, services.stopper(), started -> {
      AggregationJobCreator creator = new AggregationJobCreator(services.datastore(), services.clock(),
          settings.creator(), new SecureRandom(), services.meters());
      started.accept(RunningBinary.Started.working(services.meters()));
      creator.run(services.stopper(), settings.creationInterval(), settings.tasksUpdateFrequency());
    });
  }
}

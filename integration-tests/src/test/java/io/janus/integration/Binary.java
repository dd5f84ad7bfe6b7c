package io.janus.integration;

import io.janus.aggregationjobcreator.AggregationJobCreatorConfig;
import io.janus.aggregationjobdriver.AggregationJobDriverConfig;
import io.janus.aggregator.AggregatorConfig;
import io.janus.collectionjobdriver.CollectionJobDriverConfig;
import io.janus.core.config.BinaryConfig;
import io.janus.garbagecollector.GarbageCollectorConfig;

/**
 * The janus binaries a deployment runs: each one's name (as its {@code Main} gives it to the harness), its
 * {@code Main} class and its configuration record.
 */
enum Binary {
  AGGREGATOR("aggregator", "io.janus.aggregator.Main", AggregatorConfig.class),
  AGGREGATION_JOB_CREATOR("aggregation_job_creator", "io.janus.aggregationjobcreator.Main",
      AggregationJobCreatorConfig.class),
  AGGREGATION_JOB_DRIVER("aggregation_job_driver", "io.janus.aggregationjobdriver.Main",
      AggregationJobDriverConfig.class),
  COLLECTION_JOB_DRIVER("collection_job_driver", "io.janus.collectionjobdriver.Main",
      CollectionJobDriverConfig.class),
  GARBAGE_COLLECTOR("garbage_collector", "io.janus.garbagecollector.Main", GarbageCollectorConfig.class);

  private final String binaryName;
  private final String mainClass;
  private final Class<? extends BinaryConfig> configClass;

  Binary(String binaryName, String mainClass, Class<? extends BinaryConfig> configClass) {
    this.binaryName = binaryName;
    this.mainClass = mainClass;
    this.configClass = configClass;
  }

  /** The name the binary's {@code Main} passes to the harness. */
  String binaryName() {
    return binaryName;
  }

  /** The fully qualified name of the binary's {@code Main} class. */
  String mainClass() {
    return mainClass;
  }

  /** The binary's configuration record. */
  Class<? extends BinaryConfig> configClass() {
    return configClass;
  }
}

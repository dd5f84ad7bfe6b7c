package io.janus.integration;

import io.janus.server.binary.BinaryDefinition;

/**
 * The janus binaries a deployment runs: each one's definition (name, configuration record, entry point), and its
 * {@code Main} class for child processes.
 */
enum Binary {
  AGGREGATOR(io.janus.aggregator.Main.BINARY, io.janus.aggregator.Main.class),
  AGGREGATION_JOB_CREATOR(io.janus.aggregationjobcreator.Main.BINARY, io.janus.aggregationjobcreator.Main.class),
  AGGREGATION_JOB_DRIVER(io.janus.aggregationjobdriver.Main.BINARY, io.janus.aggregationjobdriver.Main.class),
  COLLECTION_JOB_DRIVER(io.janus.collectionjobdriver.Main.BINARY, io.janus.collectionjobdriver.Main.class),
  GARBAGE_COLLECTOR(io.janus.garbagecollector.Main.BINARY, io.janus.garbagecollector.Main.class),
  KEY_ROTATOR(io.janus.keyrotator.Main.BINARY, io.janus.keyrotator.Main.class);

  private final BinaryDefinition<?> definition;
  private final Class<?> mainClass;

  Binary(BinaryDefinition<?> definition, Class<?> mainClass) {
    this.definition = definition;
    this.mainClass = mainClass;
  }

  /** The binary's definition, which {@link io.janus.server.binary.InProcessRunner} starts. */
  BinaryDefinition<?> definition() {
    return definition;
  }

  /** The name the binary's {@code Main} passes to the harness. */
  String binaryName() {
    return definition.name();
  }

  /** The fully qualified name of the binary's {@code Main} class. */
  String mainClass() {
    return mainClass.getName();
  }
}

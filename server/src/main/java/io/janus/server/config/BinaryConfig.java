package io.janus.server.config;

/** A binary's configuration record: everything a binary reads from its YAML file, including the common part. */
public interface BinaryConfig {
  /** The keys every binary shares: database, logging, metrics, health check address. */
  CommonConfig common();
}

package io.janus.server.datastore.model;

/**
 * Bounds on how many reports a fixed-size batch will hold once its aggregation jobs finish.
 *
 * @param min reports already finished
 * @param max reports not failed (finished or still being prepared)
 */
public record BatchSizeRange(long min, long max) {}

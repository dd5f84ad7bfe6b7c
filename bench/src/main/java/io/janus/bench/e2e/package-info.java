/**
 * The end-to-end throughput benchmark: a Leader and a Helper aggregator, each on its own embedded PostgreSQL, with
 * the aggregation job creator, the aggregation job driver and the collection job driver in-process, measured from
 * the first report upload until a collection job over the whole batch finishes with the exact count
 * ({@link io.janus.bench.e2e.EndToEndThroughput}). A load generator, not a JMH benchmark; results are recorded in
 * {@code docs/PERFORMANCE.md} under "End-to-end throughput".
 */
package io.janus.bench.e2e;

/**
 * Performance harnesses for janus-java: JMH benchmarks of Prio3 sharding and preparation
 * ({@link io.janus.bench.Prio3Benchmark}) and an upload load generator. Nothing here is product code; the module
 * is packaged as {@code bench/target/benchmarks.jar} and results are recorded in {@code docs/PERFORMANCE.md}.
 */
package io.janus.bench;

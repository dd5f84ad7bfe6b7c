/**
 * What the Leader's job binaries share: the {@link io.janus.server.job.JobDriver} that acquires leased jobs and steps
 * them on a bounded number of virtual threads, its configuration keys ({@link io.janus.server.job.JobDriverConfig}),
 * the retrying HTTP client the drivers use to reach the Helper ({@link io.janus.server.job.RetryingHttpClient},
 * {@link io.janus.server.job.PeerHttpConfig}), and the batch-shard bookkeeping ({@link io.janus.server.job.BatchShards})
 * that lets the collection job driver tell when every aggregation job of a batch has ended.
 *
 * <p>Nothing here knows a DAP draft: each driver module supplies its draft's requests in its own {@code dap09}
 * package.
 */
package io.janus.server.job;

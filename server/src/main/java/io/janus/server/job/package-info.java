/**
 * What the Leader's job binaries share: the {@link io.janus.server.job.JobDriver} that acquires leased jobs and steps
 * them on a bounded number of virtual threads, its configuration keys ({@link io.janus.server.job.JobDriverConfig}),
 * the configuration of the HTTP client the drivers reach the Helper with ({@link io.janus.server.job.PeerHttpConfig},
 * which builds core's {@link io.janus.core.http.DapHttpClient}), and the batch-shard bookkeeping ({@link io.janus.server.job.BatchShards})
 * that lets the collection job driver tell when every aggregation job of a batch has ended.
 *
 * <p>Nothing here knows a DAP draft: each driver module supplies its draft's requests in its own {@code dap09}
 * package.
 */
package io.janus.server.job;

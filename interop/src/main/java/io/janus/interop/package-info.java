/**
 * The interoperation test binaries of draft-dcook-ppm-dap-interop-test-design-07, for DAP-09 and DAP-18 tasks: each
 * serves the test API ({@code POST /internal/test/...}, JSON) on one port, 8080 unless {@code --port} says
 * otherwise.
 *
 * <ul>
 *   <li>{@link io.janus.interop.InteropClientMain}: {@code ready}, {@code upload} (client library);
 *   <li>{@link io.janus.interop.InteropAggregatorMain}: {@code ready}, {@code endpoint_for_task},
 *       {@code add_task}, and the aggregator API on the same port, with the aggregation job creator and both job
 *       drivers in the same process over an embedded PostgreSQL (or {@code --database-url});
 *   <li>{@link io.janus.interop.InteropCollectorMain}: {@code ready}, {@code add_task}, {@code collection_start},
 *       {@code collection_poll} (collector library).
 * </ul>
 *
 * <p>The draft's requests describe DAP-09 tasks. A request carrying {@code batch_mode} describes a DAP-18 task in
 * the form Janus {@code main}'s interop binaries take ({@link io.janus.interop.Dap18Fields} has the rule and what
 * the form adds); {@code collection_start} follows its task.
 *
 * <p>Every command answers HTTP 200 once its path matched, with {@code "status"} telling the outcome; a malformed
 * request gets {@code {"status":"error","error":"..."}} naming the field. Other paths under
 * {@code /internal/test/} answer 404.
 */
package io.janus.interop;

package io.janus.collectionjobdriver.dap18;

import io.janus.collectionjobdriver.AggregateShareHelper;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.dap18.Dap18Requests;
import io.janus.core.http.DapHttpClient;
import io.janus.core.task.Task;
import io.janus.messages.DapDuration;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.dap18.AggregateShare;
import io.janus.messages.dap18.AggregateShareReq;
import io.janus.messages.dap18.BatchSelector;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Interval;
import io.janus.messages.dap18.Query;
import io.janus.server.datastore.model.BatchIdentifier;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;

/**
 * The Helper's aggregate-share API in draft-ietf-ppm-dap-18 (section 4.6.4), Leader side: {@code POST
 * {helper}/tasks/{task-id}/aggregate_shares} with an {@code AggregateShareReq}, answered with an
 * {@code AggregateShare}, or deferred (an empty 2xx naming the resource in {@code Location}), after which the
 * resource is polled with GET ({@link Dap18Requests}) until the share arrives or the deadline passes
 * ({@link io.janus.core.http.NotReadyException}). Requests carry the task's aggregator token.
 *
 * <p>The request carries the Collector's {@code CollectionJobReq}, which both aggregate shares' AAD bind (section
 * 4.6.7). The Leader does not store the Collector's bytes; it rebuilds them from the stored job exactly as the
 * Collector encodes them (see {@code Dap18CollectorProtocol}): a time-interval job's batch is its query's
 * interval, a leader-selected job's query is the empty {@code leader_selected} one, and no collection job extension
 * is sent, as draft 18 registers none (a Leader refuses any with {@code unsupportedExtension}). The batch selector is
 * the same interval (in time-precision units), or the batch ID the Leader chose. The body depends only on the
 * frozen job, so a retry sends the same bytes, which the Helper maps to the aggregate share it already created.
 *
 * <p>Draft 18 section 4.6.5 lets the Leader DELETE the aggregate share but does not ask it to; this Leader does not,
 * so a step that lost its answer can fetch the same share again. Problem documents reach the driver in the
 * {@link io.janus.core.http.DapRequestException} (batchMismatch, invalidBatchSize, batchOverlap, ...), which ends
 * the collection job as DAP-09's do; a 401 or 403 is not final ({@link Dap18Requests#authenticationIsNotFinal}).
 * Thread-safe.
 */
public final class Dap18AggregateShareHelper implements AggregateShareHelper {
  private final Dap18Requests requests;

  /** Creates the client over {@code http}. */
  public Dap18AggregateShareHelper(DapHttpClient http) {
    this.requests = new Dap18Requests(http);
  }

  @Override
  public HpkeCiphertext aggregateShare(Task task, BatchIdentifier batch, byte[] aggregationParameter,
      long reportCount, byte[] checksum, Instant deadline) throws InterruptedException {
    byte[] body = request(task, batch, aggregationParameter, reportCount, checksum).toBytes();
    AuthenticationHeader auth = AuthenticationHeaders.header(task.aggregatorAuthToken().orElseThrow(
        () -> new IllegalArgumentException("task " + task.id() + " has no token to present to the Helper")));
    HttpRequest request = requests.http().request(DapHttpClient.resolve(task.peerAggregatorEndpoint(),
            Dap18.aggregateSharesPath(task.id())))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", AggregateShareReq.MEDIA_TYPE)
        .header(auth.name(), auth.value())
        .build();
    Dap18Requests.Answer answer = requests.send(request, location -> requests.http().request(
            location.orElseThrow(() -> new InvalidHelperResponseException(
                "the Helper deferred the aggregate share without naming it in Location")))
        .GET().header(auth.name(), auth.value()).build(), deadline);
    try {
      return AggregateShare.decode(answer.body()).encryptedAggregateShare();
    } catch (DecodeException e) {
      throw new InvalidHelperResponseException("the Helper's AggregateShare does not decode: " + e.getMessage());
    }
  }

  /**
   * The {@code AggregateShareReq} for a batch: the Collector's request rebuilt, the batch selector, the count and
   * the checksum.
   *
   * @throws IllegalArgumentException if a time-interval batch is not aligned to the task's time precision
   */
  static AggregateShareReq request(Task task, BatchIdentifier batch, byte[] aggregationParameter,
      long reportCount, byte[] checksum) {
    DapDuration precision = task.timePrecision();
    return switch (batch) {
      case BatchIdentifier.TimeInterval t -> {
        Interval units = Interval.fromSeconds(t.batchInterval(), precision);
        yield new AggregateShareReq(new CollectionJobReq(new Query.TimeInterval(units), aggregationParameter,
            List.of()), new BatchSelector.TimeInterval(units), reportCount, checksum);
      }
      case BatchIdentifier.FixedSize f -> new AggregateShareReq(new CollectionJobReq(new Query.LeaderSelected(),
          aggregationParameter, List.of()), new BatchSelector.LeaderSelected(f.batchId()), reportCount, checksum);
    };
  }
}

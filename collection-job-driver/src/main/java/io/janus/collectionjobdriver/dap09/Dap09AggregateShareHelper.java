package io.janus.collectionjobdriver.dap09;

import io.janus.collectionjobdriver.AggregateShareHelper;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.core.http.DapHttpClient;
import io.janus.core.task.Task;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.dap09.AggregateShare;
import io.janus.messages.dap09.AggregateShareReq;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Dap09;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * The Helper's aggregate-share API in draft-ietf-ppm-dap-09 (section 4.4.4): {@code POST} an
 * {@code AggregateShareReq} to {@code /tasks/{task-id}/aggregate_shares}, answered synchronously with an
 * {@code AggregateShare}. Requests carry the task's aggregator token.
 */
public final class Dap09AggregateShareHelper implements AggregateShareHelper {
  private final DapHttpClient http;

  /** Creates the client over {@code http}. */
  public Dap09AggregateShareHelper(DapHttpClient http) {
    this.http = http;
  }

  @Override
  public HpkeCiphertext aggregateShare(Task task, BatchIdentifier batch, byte[] aggregationParameter,
      long reportCount, byte[] checksum, Instant deadline) throws InterruptedException {
    BatchSelector selector = switch (batch) {
      case BatchIdentifier.TimeInterval t -> new BatchSelector.TimeInterval(t.batchInterval());
      case BatchIdentifier.FixedSize f -> new BatchSelector.FixedSize(f.batchId());
    };
    byte[] body = new AggregateShareReq(selector, aggregationParameter, reportCount, checksum).toBytes();
    AuthenticationHeader auth = AuthenticationHeaders.header(task.aggregatorAuthToken().orElseThrow(
        () -> new IllegalArgumentException("task " + task.id() + " has no token to present to the Helper")));
    HttpRequest.Builder request = http.request(DapHttpClient.resolve(task.peerAggregatorEndpoint(),
            Dap09.aggregateSharesPath(task.id())))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", AggregateShareReq.MEDIA_TYPE)
        .header(auth.name(), auth.value());
    // A task provisioned in-band carries its configuration on every request to the Helper, as the Janus Helper reads it.
    task.taskprovConfig().ifPresent(c -> request.header(Dap09.HEADER_TASKPROV, c.headerValue()));
    HttpResponse<byte[]> response = http.send(request.build(), deadline);
    try {
      return AggregateShare.decode(response.body()).encryptedAggregateShare();
    } catch (DecodeException e) {
      throw new InvalidHelperResponseException("the Helper's AggregateShare does not decode: " + e.getMessage());
    }
  }
}

package io.janus.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.janus.client.Client;
import io.janus.client.DapClientException;
import io.janus.core.Clock;
import io.janus.core.task.TaskAgreement;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.TaskId;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The interop client (draft-dcook-ppm-dap-interop-test-design-07 section 4.2): {@code ready} and {@code upload},
 * which shards the measurement with the client library and uploads the report to the Leader.
 *
 * <p>A request in the DAP-18 form (see {@link Dap18Fields}) is uploaded with the DAP-18 client library, on the task
 * configuration the request describes with {@code task_info} {@link Dap18Fields#TASK_INFO}; a report the
 * Leader refuses on its own (DAP-18's per-report errors) is a failed upload.
 *
 * <p>One {@link Client} is kept per task configuration, so its cached HPKE configurations are fetched once per
 * task rather than once per report. Thread-safe.
 */
public final class InteropClient {
  /** What identifies one client library instance. */
  private record ClientKey(TaskId taskId, URI leader, URI helper, VdafInstance vdaf, DapDuration timePrecision,
      Optional<TaskAgreement> agreement) {}

  private final HttpClient http;
  private final Clock clock;
  private final Map<ClientKey, Client> clients = new ConcurrentHashMap<>();

  /**
   * Creates the client service.
   *
   * @param http the connection pool every upload shares
   * @param clock stamps reports whose request gives no time
   */
  public InteropClient(HttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /** Registers {@code ready} and {@code upload} on {@code rules}, then the 404 fallback. */
  public void routing(HttpRules rules) {
    TestApi.command(rules, "ready", req -> JsonNodeFactory.instance.objectNode());
    TestApi.command(rules, "upload", req -> upload(UploadRequest.parse(req)));
    TestApi.notFoundFallback(rules);
  }

  /**
   * Uploads one report; the DAP outcome is in the returned body's {@code status}.
   *
   * @throws InteropRequestException if the client library refuses the measurement or the VDAF parameters
   */
  public ObjectNode upload(UploadRequest request) {
    try {
      Client client = clients.computeIfAbsent(
          new ClientKey(request.taskId(), request.leader(), request.helper(), request.vdaf(), request.timePrecision(),
              request.agreement()),
          k -> k.agreement().map(a -> Client.builder(k.taskId(), a))
              .orElseGet(() -> Client.builder(k.taskId(), k.leader(), k.helper(), k.timePrecision(), k.vdaf()))
              .httpClient(http).clock(clock).build());
      if (request.time().isPresent()) {
        client.uploadWithTime(request.measurement(), request.time().get());
      } else {
        client.upload(request.measurement());
      }
    } catch (IllegalArgumentException e) {
      // Parameters the client library refuses: an out-of-range measurement or VDAF parameters.
      throw new InteropRequestException("upload refused: " + e.getMessage());
    } catch (DapClientException e) {
      return TestApi.error("upload failed: " + TestApi.describe(e));
    }
    return TestApi.success();
  }
}

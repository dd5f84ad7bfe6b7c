package io.janus.aggregator.dap09;

import static io.janus.aggregator.dap09.TestAggregator.assertDapProblem;
import static io.janus.aggregator.dap09.TestAggregator.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.Role;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Report;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every DAP endpoint checks, in this order, the route, the task, the authentication, the Content-Type and then
 * the body, and reads a body only if it fits the endpoint's limit: an attacker without a token never gets a body
 * parsed, and no one gets a body read into memory past the limit.
 */
class Dap09RequestOrderTest {
  private static final byte[] GARBAGE = {0x13, 0x37, 0x00, 0x01};
  private static TestAggregator agg;
  private static Task helperTask;
  private static Task leaderTask;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10);
    helperTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    leaderTask = agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static final AuthenticationToken WRONG = new AuthenticationToken(AuthenticationTokenType.BEARER, "wrong");

  @Test
  void theHelperAuthenticatesBeforeItLooksAtTheBody() {
    String job = Dap09.aggregationJobPath(helperTask.id(), new AggregationJobId(agg.bytes(16)));
    for (Optional<AuthenticationToken> auth : List.of(Optional.<AuthenticationToken>empty(), Optional.of(WRONG))) {
      // Garbage body, and the wrong Content-Type or none: still 403, never 400 or 415.
      assertDapProblem(agg.send("PUT", job, Optional.of("text/plain"), GARBAGE, auth), "unauthorizedRequest",
          helperTask.id());
      assertDapProblem(agg.send("POST", job, Optional.empty(), GARBAGE, auth), "unauthorizedRequest",
          helperTask.id());
      assertDapProblem(agg.send("POST", Dap09.aggregateSharesPath(helperTask.id()),
          Optional.of(Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ), GARBAGE, auth), "unauthorizedRequest", helperTask.id());
    }
    // With the right token the body is looked at: the wrong Content-Type, then the garbage.
    assertThat(agg.send("PUT", job, Optional.of("text/plain"), GARBAGE, Optional.of(agg.leaderToken))
        .statusCode()).isEqualTo(415);
    assertDapProblem(agg.send("PUT", job, Optional.of(Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ), GARBAGE,
        Optional.of(agg.leaderToken)), "invalidMessage", helperTask.id());
  }

  @Test
  void theLeaderAuthenticatesCollectorsBeforeItLooksAtTheBody() {
    String job = Dap09.collectionJobPath(leaderTask.id(), new CollectionJobId(agg.bytes(16)));
    assertDapProblem(agg.send("PUT", job, Optional.of("text/plain"), GARBAGE, Optional.of(WRONG)),
        "unauthorizedRequest", leaderTask.id());
    assertDapProblem(agg.send("PUT", job, Optional.of(Dap09.MEDIA_TYPE_COLLECT_REQ), GARBAGE, Optional.empty()),
        "unauthorizedRequest", leaderTask.id());
  }

  @Test
  void anUnknownTaskIsUnrecognizedWhateverTheBody() {
    io.janus.messages.TaskId unknown = new io.janus.messages.TaskId(agg.bytes(32));
    assertDapProblem(agg.send("PUT", Dap09.reportsPath(unknown), Optional.of("text/plain"), GARBAGE,
        Optional.empty()), "unrecognizedTask", unknown);
    assertDapProblem(agg.send("PUT", Dap09.aggregationJobPath(unknown, new AggregationJobId(agg.bytes(16))),
        Optional.of("text/plain"), GARBAGE, Optional.empty()), "unrecognizedTask", unknown);
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() throws Exception {
    byte[] tooLong = new byte[(int) io.janus.aggregator.RequestLimits.DEFAULT.uploadBytes() + 1];
    // Declared by Content-Length: refused before reading.
    HttpResponse<byte[]> declared = agg.send("PUT", Dap09.reportsPath(leaderTask.id()),
        Optional.of(Report.MEDIA_TYPE), tooLong, Optional.empty());
    assertProblem(declared, 413, "about:blank");
    assertThat(declared.headers().firstValue("Connection")).hasValue("close");
    // Chunked (no Content-Length): cut off at the limit.
    HttpRequest chunked = HttpRequest.newBuilder(agg.uri(Dap09.reportsPath(leaderTask.id())))
        .header("Content-Type", Report.MEDIA_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLong))).build();
    HttpResponse<byte[]> streamed = agg.http.send(chunked, HttpResponse.BodyHandlers.ofByteArray());
    assertProblem(streamed, 413, "about:blank");
    assertThat(new String(streamed.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("1048576 bytes");
  }
}

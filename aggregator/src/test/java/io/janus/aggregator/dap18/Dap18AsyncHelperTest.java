package io.janus.aggregator.dap18;

import static io.janus.aggregator.dap18.Dap18HelperTest.cont;
import static io.janus.aggregator.dap18.Dap18HelperTest.create;
import static io.janus.aggregator.dap18.Dap18HelperTest.get;
import static io.janus.aggregator.dap18.Dap18HelperTest.init;
import static io.janus.aggregator.dap18.TestAggregator18.assertDapProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.aggregator.HelperAggregationMode;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.DapDuration;
import io.janus.messages.Role;
import io.janus.messages.dap18.AggregationJobContinueReq;
import io.janus.messages.dap18.AggregationJobInitReq;
import io.janus.messages.dap18.AggregationJobResp;
import io.janus.messages.dap18.VerifyContinue;
import io.janus.messages.dap18.VerifyResp;
import io.janus.server.datastore.model.HelperAggregationRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous DAP-18 Helper (helper_aggregation_mode: asynchronous): requests are accepted with an empty 2xx,
 * done by the lease-based worker, and polled with GET ?step=N.
 */
class Dap18AsyncHelperTest {
  private static TestAggregator18 agg;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator18(HelperAggregationMode.ASYNCHRONOUS);
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static Task task(io.janus.core.task.VdafInstance vdaf) {
    return agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), vdaf).build());
  }

  private static void assertNotReady(HttpResponse<byte[]> r, int status) {
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void initializationIsAcceptedThenDoneAndPolled() {
    Task task = task(TestAggregator18.ONE_ROUND);
    AggregationJobInitReq req = init(List.of(), agg.report(task, 1).verifyInit(), agg.report(task, 0).verifyInit());
    HttpResponse<byte[]> accepted = create(agg, task, req);
    assertNotReady(accepted, 201);
    String location = accepted.headers().firstValue("Location").orElseThrow();
    assertThat(location).endsWith("?step=0");
    String job = location.substring(0, location.indexOf('?'));
    // A retry of the same body names the same job.
    assertThat(create(agg, task, req).headers().firstValue("Location")).hasValue(location);
    assertNotReady(get(agg, job, "?step=0"), 200);

    assertThat(agg.aggregator.runHelperWork()).isEqualTo(1);
    HttpResponse<byte[]> done = get(agg, job, "?step=0");
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(AggregationJobResp.decode(done.body()).verifyResps()).hasSize(2)
        .allSatisfy(v -> assertThat(v.result()).isInstanceOf(VerifyResp.Continue.class));
    assertThat(agg.aggregator.runHelperWork()).isZero();
    // A retry after the work is done is accepted again and answers from the stored job.
    assertNotReady(create(agg, task, req), 201);
    assertThat(get(agg, job, "?step=0").body()).isEqualTo(done.body());
  }

  @Test
  void aCrashedWorkersRequestIsTakenOverWhenItsLeaseExpires() {
    Task task = task(TestAggregator18.ONE_ROUND);
    HttpResponse<byte[]> accepted = create(agg, task, init(List.of(), agg.report(task, 1).verifyInit()));
    String job = accepted.headers().firstValue("Location").orElseThrow().replace("?step=0", "");
    // Another replica leases the request and dies.
    List<HelperAggregationRequest.Leased> lost = agg.datastore().run("crashed_worker",
        tx -> tx.helperAggregationRequests().acquire(Duration.ofMinutes(10), 10));
    assertThat(lost).hasSize(1);
    assertThat(agg.aggregator.runHelperWork()).isZero();
    assertNotReady(get(agg, job, "?step=0"), 200);
    agg.clock.advance(DapDuration.ofSeconds(11 * 60));
    assertThat(agg.aggregator.runHelperWork()).isEqualTo(1);
    assertThat(AggregationJobResp.decode(get(agg, job, "?step=0").body()).verifyResps()).hasSize(1);
  }

  @Test
  void continuationIsAcceptedThenDone() {
    Task task = task(TestAggregator18.TWO_ROUNDS);
    TestAggregator18.Parts p = agg.report(task, 1);
    String job = create(agg, task, init(List.of(), p.verifyInit())).headers().firstValue("Location").orElseThrow()
        .replace("?step=0", "");
    agg.aggregator.runHelperWork();
    assertThat(get(agg, job, "?step=0").statusCode()).isEqualTo(200);
    assertDapProblem(cont(agg, job, new AggregationJobContinueReq(0, List.of(
        new VerifyContinue(p.metadata().reportId(), new byte[] {1})))), "invalidMessage");
    assertDapProblem(cont(agg, job, new AggregationJobContinueReq(2, List.of(
        new VerifyContinue(p.metadata().reportId(), new byte[] {1})))), "stepMismatch");
    AggregationJobContinueReq step1 = new AggregationJobContinueReq(1, List.of(
        new VerifyContinue(p.metadata().reportId(), new byte[] {1, 1})));
    HttpResponse<byte[]> accepted = cont(agg, job, step1);
    assertNotReady(accepted, 200);
    assertThat(accepted.headers().firstValue("Location")).hasValue(job + "?step=1");
    assertNotReady(get(agg, job, "?step=1"), 200);
    assertThat(agg.aggregator.runHelperWork()).isEqualTo(1);
    HttpResponse<byte[]> done = get(agg, job, "?step=1");
    assertThat(AggregationJobResp.decode(done.body()).verifyResps()).hasSize(1);
    assertNotReady(cont(agg, job, step1), 200);
    assertThat(get(agg, job, "?step=1").body()).isEqualTo(done.body());
  }

  @Test
  void aFailedRequestIsAnsweredByItsPoll() {
    Task task = task(TestAggregator18.ONE_ROUND);
    String job = create(agg, task, init(List.of(), agg.report(task, 1).verifyInit())).headers()
        .firstValue("Location").orElseThrow().replace("?step=0", "");
    agg.datastore().run("fail", tx -> {
      for (HelperAggregationRequest.Leased l : tx.helperAggregationRequests().acquire(Duration.ofMinutes(1), 10)) {
        tx.helperAggregationRequests().fail(l, new HelperAggregationRequest.Failure("InvalidMessage",
            "The job could not be done."));
      }
      return null;
    });
    assertDapProblem(get(agg, job, "?step=0"), "invalidMessage");
    assertThat(agg.aggregator.runHelperWork()).isZero();
  }
}

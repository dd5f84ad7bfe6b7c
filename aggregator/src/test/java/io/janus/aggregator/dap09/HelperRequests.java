package io.janus.aggregator.dap09;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.AggregationJobId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap09.AggregationJobContinueReq;
import io.janus.messages.dap09.AggregationJobInitReq;
import io.janus.messages.dap09.AggregationJobResp;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Extension;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.PrepareInit;
import io.janus.messages.dap09.ReportMetadata;
import io.janus.messages.dap09.ReportShare;
import io.janus.vdaf.VdafException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** Builds and sends the Leader's requests to a Helper under test. */
final class HelperRequests {
  private static final FakeVdaf VDAF = new FakeVdaf();

  private final TestAggregator agg;

  HelperRequests(TestAggregator agg) {
    this.agg = agg;
  }

  /** A prepare-init for a report of {@code measurement}, sealed to the task's first key. */
  PrepareInit prepareInit(Task task, ReportId id, Time time, long measurement, List<Extension> extensions) {
    return prepareInit(task.hpkeKeys().get(0), task.id(), id, time, measurement, extensions);
  }

  /** A prepare-init sealed to {@code key}. */
  static PrepareInit prepareInit(HpkeKeypair key, TaskId taskId, ReportId id, Time time, long measurement,
      List<Extension> extensions) {
    PingPongVdaf.Sharded s = VDAF.shard(new long[] {measurement}, id.bytes(), new byte[0]);
    HpkeCiphertext c = TestAggregator.seal(key, Role.HELPER, taskId, id, time, s.publicShare(),
        s.helperInputShare(), extensions);
    byte[] leaderMessage;
    try {
      leaderMessage = VDAF.leaderInitialized(new byte[16], new byte[0], id.bytes(), s.publicShare(),
          s.leaderInputShare()).outbound();
    } catch (VdafException e) {
      throw new IllegalStateException(e);
    }
    return new PrepareInit(new ReportShare(new ReportMetadata(id, time), s.publicShare(), c), leaderMessage);
  }

  static AggregationJobInitReq init(PrepareInit... inits) {
    return new AggregationJobInitReq(new byte[0], new PartialBatchSelector.TimeInterval(), List.of(inits));
  }

  HttpResponse<byte[]> put(TaskId taskId, AggregationJobId jobId, byte[] body, Optional<AuthenticationToken> auth) {
    return agg.send("PUT", Dap09.aggregationJobPath(taskId, jobId),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATION_JOB_INIT_REQ), body, auth);
  }

  HttpResponse<byte[]> put(TaskId taskId, AggregationJobId jobId, AggregationJobInitReq req) {
    return put(taskId, jobId, req.toBytes(), Optional.of(agg.leaderToken));
  }

  HttpResponse<byte[]> post(TaskId taskId, AggregationJobId jobId, AggregationJobContinueReq req) {
    return agg.send("POST", Dap09.aggregationJobPath(taskId, jobId),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATION_JOB_CONTINUE_REQ), req.toBytes(), Optional.of(agg.leaderToken));
  }

  HttpResponse<byte[]> delete(TaskId taskId, AggregationJobId jobId) {
    return agg.send("DELETE", Dap09.aggregationJobPath(taskId, jobId), Optional.empty(), new byte[0],
        Optional.of(agg.leaderToken));
  }

  static AggregationJobResp resp(HttpResponse<byte[]> r) {
    return AggregationJobResp.decode(r.body());
  }

  AggregationJobId jobId() {
    return new AggregationJobId(agg.bytes(16));
  }
}

package io.janus.core.vdaf;

import io.janus.core.task.DapVersion;
import io.janus.core.task.VdafInstance;
import io.janus.messages.TaskId;
import io.janus.messages.dap18.Dap18;
import io.janus.vdaf.Prio3;
import io.janus.vdaf.Prio3Draft18;

/**
 * Maps a task's {@link VdafInstance} to the implementation that runs it: VDAF-08 Prio3 for a DAP-09 task, VDAF-18
 * Prio3 bound to the task's application context for a DAP-18 task.
 */
public final class VdafDispatch {
  private VdafDispatch() {}

  /**
   * The ping-pong VDAF of a DAP-09 task (draft-irtf-cfrg-vdaf-08, no application context); the same as
   * {@code forTask(DapVersion.DAP_09, taskId, instance)} for any task ID.
   *
   * @throws IllegalArgumentException if the parameters are out of the VDAF's range, or the instance is VDAF-18 only
   */
  public static PingPongVdaf forInstance(VdafInstance instance) {
    return new Prio3PingPong(draft08(instance), new byte[0]);
  }

  /**
   * The ping-pong VDAF that runs {@code instance} for task {@code taskId} of DAP version {@code version}. For
   * DAP-18 every step (sharding, both aggregators' initialisation, the combination of verifier shares) runs under
   * the application context {@code "dap-18" || task_id} (draft-ietf-ppm-dap-18 sections 4.4.2.1 and 4.5.3.1);
   * cheap enough to call per request.
   *
   * @throws IllegalArgumentException if the parameters are out of the VDAF's range, or the version cannot run the
   *     instance (see {@link VdafInstance#runsUnder})
   */
  public static PingPongVdaf forTask(DapVersion version, TaskId taskId, VdafInstance instance) {
    return switch (version) {
      case DAP_09 -> forInstance(instance);
      case DAP_18 -> new Prio3PingPong(draft18(instance), Dap18.vdafContext(taskId));
    };
  }


  private static Prio3 draft08(VdafInstance instance) {
    return switch (instance) {
      case VdafInstance.Prio3Count c -> Prio3.count();
      case VdafInstance.Prio3Sum s -> Prio3.sum(s.bits());
      case VdafInstance.Prio3SumVec v -> Prio3.sumVec(v.length(), v.bits(), v.chunkLength());
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v ->
          Prio3.sumVecField64MultiproofHmacSha256Aes128(v.proofs(), v.length(), v.bits(), v.chunkLength());
      case VdafInstance.Prio3Histogram h -> Prio3.histogram(h.length(), h.chunkLength());
      case VdafInstance.Prio3SumMaxMeasurement s -> throw unsupported(DapVersion.DAP_09, s);
      case VdafInstance.Prio3SumVecMaxMeasurement v -> throw unsupported(DapVersion.DAP_09, v);
      case VdafInstance.Prio3MultihotCountVec v -> throw unsupported(DapVersion.DAP_09, v);
    };
  }

  private static Prio3 draft18(VdafInstance instance) {
    return switch (instance) {
      case VdafInstance.Prio3Count c -> Prio3Draft18.count();
      case VdafInstance.Prio3SumMaxMeasurement s -> Prio3Draft18.sum(s.maxMeasurement());
      case VdafInstance.Prio3SumVecMaxMeasurement v ->
          Prio3Draft18.sumVec(v.length(), v.maxMeasurement(), v.chunkLength());
      case VdafInstance.Prio3Histogram h -> Prio3Draft18.histogram(h.length(), h.chunkLength());
      case VdafInstance.Prio3MultihotCountVec v ->
          Prio3Draft18.multihotCountVec(v.length(), v.maxWeight(), v.chunkLength());
      case VdafInstance.Prio3Sum s -> throw unsupported(DapVersion.DAP_18, s);
      case VdafInstance.Prio3SumVec v -> throw unsupported(DapVersion.DAP_18, v);
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> throw unsupported(DapVersion.DAP_18, v);
    };
  }

  private static IllegalArgumentException unsupported(DapVersion version, VdafInstance instance) {
    return new IllegalArgumentException(version + " cannot run " + instance.toJson()
        + (version == DapVersion.DAP_18 ? " (VDAF-18 takes max_measurement, not bits)"
            : " (a VDAF-18 parameterisation)"));
  }
}

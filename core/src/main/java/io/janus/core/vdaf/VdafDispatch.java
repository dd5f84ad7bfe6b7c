package io.janus.core.vdaf;

import io.janus.core.task.VdafInstance;
import io.janus.vdaf.Prio3;

/** Maps a task's {@link VdafInstance} to the implementation that runs it. */
public final class VdafDispatch {
  private VdafDispatch() {}

  /**
   * The ping-pong VDAF for {@code instance}; cheap enough to call per request.
   *
   * @throws IllegalArgumentException if the parameters are out of the VDAF's range
   */
  public static PingPongVdaf forInstance(VdafInstance instance) {
    return new Prio3PingPong(switch (instance) {
      case VdafInstance.Prio3Count c -> Prio3.count();
      case VdafInstance.Prio3Sum s -> Prio3.sum(s.bits());
      case VdafInstance.Prio3SumVec v -> Prio3.sumVec(v.length(), v.bits(), v.chunkLength());
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v ->
          Prio3.sumVecField64MultiproofHmacSha256Aes128(v.proofs(), v.length(), v.bits(), v.chunkLength());
      case VdafInstance.Prio3Histogram h -> Prio3.histogram(h.length(), h.chunkLength());
    });
  }
}

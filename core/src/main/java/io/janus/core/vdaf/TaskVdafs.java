package io.janus.core.vdaf;

import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.core.task.VdafInstance;
import io.janus.messages.TaskId;
import java.util.function.Function;

/**
 * Finds the VDAF implementation that runs a task. The task's draft matters, not only its {@link VdafInstance}: a
 * DAP-18 task runs VDAF-18 under its own application context. Production code passes {@link #PRODUCTION}; tests
 * substitute fakes.
 */
@FunctionalInterface
public interface TaskVdafs {
  /** {@link VdafDispatch#forTask}: the real Prio3 of each draft. */
  TaskVdafs PRODUCTION = VdafDispatch::forTask;

  /**
   * The VDAF of task {@code taskId} of draft {@code version} with parameters {@code instance}.
   *
   * @throws IllegalArgumentException if the parameters are out of range or the draft cannot run the instance
   */
  PingPongVdaf vdaf(DapVersion version, TaskId taskId, VdafInstance instance);

  /** The VDAF of {@code task}. */
  default PingPongVdaf of(Task task) {
    return vdaf(task.protocol(), task.id(), task.vdaf());
  }

  /** Looks the VDAF up by its parameters alone (tests' fakes, which ignore the draft and the task). */
  static TaskVdafs byInstance(Function<VdafInstance, PingPongVdaf> lookup) {
    return (version, taskId, instance) -> lookup.apply(instance);
  }
}

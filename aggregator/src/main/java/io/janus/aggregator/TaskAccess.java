package io.janus.aggregator;

import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenHash;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.GlobalHpkeKeypair;
import io.janus.server.datastore.model.HpkeKeyState;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.AgreedTerms;
import io.janus.core.task.Task;
import io.janus.messages.Time;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Looks up tasks and HPKE keys, and checks that a request may act on a task. */
final class TaskAccess {
  private TaskAccess() {}

  /**
   * The task {@code id} in which this aggregator plays {@code role}.
   *
   * @throws DapException.UnrecognizedTask if there is no such task or this aggregator plays the other role in it
   */
  static Task task(Tx tx, TaskId id, Role role, ProtocolVersion version) {
    Optional<Task> task = tx.tasks().get(id);
    if (task.isEmpty() || !serves(task.get(), role, version)) {
      throw new DapException.UnrecognizedTask(id);
    }
    return task.get();
  }

  /**
   * True if {@code task} is one this aggregator plays {@code role} in and speaks the request's DAP draft: a task of
   * another draft is unknown on this draft's routes.
   */
  static boolean serves(Task task, Role role, ProtocolVersion version) {
    return task.role() == role && task.protocol() == version.dapVersion();
  }

  /**
   * Checks the Leader's token on a request to the Helper.
   *
   * @throws DapException.UnauthorizedRequest if it is absent or wrong
   */
  static void authorizeLeader(Task task, Optional<AuthenticationToken> presented) {
    authorize(task, presented, task.aggregatorAuthTokenHash());
  }

  /**
   * Checks the Collector's token on a request to the Leader.
   *
   * @throws DapException.UnauthorizedRequest if it is absent or wrong
   */
  static void authorizeCollector(Task task, Optional<AuthenticationToken> presented) {
    authorize(task, presented, task.collectorAuthTokenHash());
  }

  private static void authorize(Task task, Optional<AuthenticationToken> presented,
      Optional<AuthenticationTokenHash> expected) {
    // A task without a stored hash (taskprov-provisioned) cannot authenticate anyone here.
    if (expected.isEmpty() || !AuthenticationHeaders.verify(presented, expected.get())) {
      throw new DapException.UnauthorizedRequest(task.id());
    }
  }

  /**
   * The keypair for an input share sealed to {@code configId}: the task's own key first, then a global key in any
   * state (a pending key may already be cached by clients, and an expired one still opens late reports).
   */
  static Optional<HpkeKeypair> keypair(List<GlobalHpkeKeypair> globalKeys, Task task, int configId) {
    Optional<HpkeKeypair> own = task.hpkeKey(configId);
    if (own.isPresent()) {
      return own;
    }
    for (GlobalHpkeKeypair k : globalKeys) {
      if (k.keypair().config().id() == configId) {
        return Optional.of(k.keypair());
      }
    }
    return Optional.empty();
  }

  /** {@link #keypair} for several config IDs at once, reading the global keys only if needed. */
  static Map<Integer, HpkeKeypair> keypairs(Tx tx, Task task, Set<Integer> configIds) {
    Map<Integer, HpkeKeypair> out = new HashMap<>();
    boolean missing = false;
    for (int id : configIds) {
      Optional<HpkeKeypair> own = task.hpkeKey(id);
      own.ifPresent(k -> out.put(id, k));
      missing |= own.isEmpty();
    }
    if (missing) {
      for (GlobalHpkeKeypair k : tx.hpkeKeys().getAll()) {
        int id = k.keypair().config().id();
        if (configIds.contains(id)) {
          out.putIfAbsent(id, k.keypair());
        }
      }
    }
    return out;
  }

  /**
   * Whether {@code time} lies outside the task's interval: before its start ({@code TASK_NOT_STARTED}; DAP-18 tasks
   * with a {@code task_interval}) or past its end ({@code TASK_EXPIRED}). A DAP-18 interval is half-open, so its end
   * is already outside; a DAP-09 task accepts reports up to its expiration, as before.
   */
  static Optional<ReportFailure> outsideTaskInterval(Task task, Time time) {
    Optional<Time> start = task.agreedTerms().flatMap(AgreedTerms::taskStart);
    if (start.isPresent() && time.isBefore(start.get())) {
      return Optional.of(ReportFailure.TASK_NOT_STARTED);
    }
    if (task.taskExpiration().isPresent()) {
      Time end = task.taskExpiration().get();
      boolean past = task.agreedTerms().isPresent() ? !time.isBefore(end) : time.isAfter(end);
      if (past) {
        return Optional.of(ReportFailure.TASK_EXPIRED);
      }
    }
    return Optional.empty();
  }

  /** True if {@code k} is advertised to clients. */
  static boolean advertised(GlobalHpkeKeypair k) {
    return k.state() == HpkeKeyState.ACTIVE;
  }
}

package io.janus.aggregator;

import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.messages.DecodeException;
import io.janus.messages.Role;

/**
 * What differs between DAP drafts inside otherwise version-neutral aggregator logic: the HPKE application info
 * and associated data, and the encoding of a decrypted input share. Each draft's HTTP service passes its own
 * implementation into the {@link Aggregator}; no logic checks a version number.
 */
public interface ProtocolVersion {
  /** The draft's tag, for example {@code dap-09}, for logs. */
  String name();

  /** The version tasks served through this draft record ({@link io.janus.core.task.Task#protocol()}). */
  DapVersion dapVersion();

  /** The HPKE info under which a Client seals an input share to {@code recipient} (Leader or Helper). */
  byte[] inputShareInfo(Role recipient);

  /**
   * The HPKE associated data binding an input share to its task and report. DAP-09 binds the task ID, the report
   * ID and time and the public share; DAP-18 adds the task's configuration ({@link Task#agreement()}) and the
   * report's public extensions, and encodes the time in time-precision units. {@code report.time()} is in seconds.
   */
  byte[] inputShareAad(Task task, ReportShare report);

  /**
   * Decodes a decrypted input share.
   *
   * @throws DecodeException if the plaintext is malformed
   */
  InputShare decodeInputShare(byte[] plaintext);

  /** True if this draft (as deployed here) understands report extensions of type {@code type}. */
  boolean recognizesExtension(int type);

  /**
   * True if each of a report's extension lists must be in strictly increasing order of type (DAP-18 section
   * 4.5.3.4); DAP-09 only forbids repeats.
   */
  boolean requiresOrderedExtensions();

  /** The type of the report extension that marks a report of a task provisioned in-band (taskprov). */
  int taskprovExtensionType();

  /** The HPKE info under which {@code sender} (Leader or Helper) seals an aggregate share to the Collector. */
  byte[] aggregateShareInfo(Role sender);

  /**
   * The HPKE associated data binding an aggregate share to its task, aggregation parameter and batch. DAP-09 binds
   * the task ID, the parameter and the batch selector. DAP-18 binds the task ID, the task's configuration and the
   * Collector's {@code CollectionJobReq}, which the batch determines: a time-interval batch is the query's interval
   * (the Helper refuses a selector that differs from the query, {@code batchMismatch}), a leader-selected query
   * names no batch, and no collection job extension is supported, so the request's list is empty.
   */
  byte[] aggregateShareAad(Task task, byte[] aggregationParameter, BatchSelector batch);
}

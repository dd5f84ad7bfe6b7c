package io.janus.aggregator;

import io.janus.core.task.DapVersion;
import io.janus.messages.DecodeException;
import io.janus.messages.Role;
import io.janus.messages.TaskId;

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

  /** The HPKE associated data binding an input share to its task and report. */
  byte[] inputShareAad(TaskId taskId, ReportShare report);

  /**
   * Decodes a decrypted input share.
   *
   * @throws DecodeException if the plaintext is malformed
   */
  InputShare decodeInputShare(byte[] plaintext);

  /** True if this draft (as deployed here) understands report extensions of type {@code type}. */
  boolean recognizesExtension(int type);

  /** The type of the report extension that marks a report of a task provisioned in-band (taskprov). */
  int taskprovExtensionType();

  /** The HPKE info under which {@code sender} (Leader or Helper) seals an aggregate share to the Collector. */
  byte[] aggregateShareInfo(Role sender);

  /** The HPKE associated data binding an aggregate share to its task, aggregation parameter and batch. */
  byte[] aggregateShareAad(TaskId taskId, byte[] aggregationParameter, BatchSelector batch);
}

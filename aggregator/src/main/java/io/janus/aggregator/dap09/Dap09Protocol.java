package io.janus.aggregator.dap09;

import io.janus.aggregator.BatchSelector;
import io.janus.aggregator.InputShare;
import io.janus.aggregator.ProtocolVersion;
import io.janus.aggregator.ReportShare;
import io.janus.server.datastore.model.ReportExtension;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.messages.Role;
import io.janus.core.task.Task;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Extension;
import io.janus.messages.dap09.InputShareAad;
import io.janus.messages.dap09.PlaintextInputShare;
import io.janus.messages.dap09.PrepareError;
import io.janus.messages.dap09.ReportMetadata;
import java.util.ArrayList;
import java.util.List;

/** The draft-ietf-ppm-dap-09 answers to {@link ProtocolVersion}: its HPKE labels, AAD structs and codes. */
public final class Dap09Protocol implements ProtocolVersion {
  /** The one instance; it holds no state. */
  public static final Dap09Protocol INSTANCE = new Dap09Protocol();

  private Dap09Protocol() {}

  @Override
  public String name() {
    return Dap09.VERSION;
  }

  @Override
  public io.janus.core.task.DapVersion dapVersion() {
    return io.janus.core.task.DapVersion.DAP_09;
  }

  @Override
  public byte[] inputShareInfo(Role recipient) {
    return Dap09.inputShareInfo(recipient);
  }

  @Override
  public byte[] inputShareAad(Task task, ReportShare report) {
    return new InputShareAad(task.id(), new ReportMetadata(report.reportId(), report.time()), report.publicShare())
        .toBytes();
  }

  @Override
  public InputShare decodeInputShare(byte[] plaintext) {
    PlaintextInputShare p = PlaintextInputShare.decode(plaintext);
    List<ReportExtension> extensions = new ArrayList<>(p.extensions().size());
    for (Extension e : p.extensions()) {
      extensions.add(new ReportExtension(e.extensionType(), e.extensionData()));
    }
    return new InputShare(extensions, p.payload());
  }

  /**
   * Draft 09 registers no extension; the taskprov extension (the only one Janus 0.7 knows) is handled apart, by
   * {@link #taskprovExtensionType()}, since it is allowed only in reports of tasks provisioned in-band. Every other
   * extension is unrecognized and rejects its report.
   */
  @Override
  public boolean recognizesExtension(int type) {
    return false;
  }

  @Override
  public boolean requiresOrderedExtensions() {
    return false;
  }

  @Override
  public int taskprovExtensionType() {
    return Dap09.EXTENSION_TASKPROV;
  }

  @Override
  public byte[] aggregateShareInfo(Role sender) {
    return Dap09.aggregateShareInfo(sender);
  }

  @Override
  public byte[] aggregateShareAad(Task task, byte[] aggregationParameter, BatchSelector batch) {
    return new AggregateShareAad(task.id(), aggregationParameter, toWire(batch)).toBytes();
  }

  /** The draft 09 wire form of a batch selector. */
  static io.janus.messages.dap09.BatchSelector toWire(BatchSelector batch) {
    return switch (batch) {
      case BatchSelector.TimeInterval t -> new io.janus.messages.dap09.BatchSelector.TimeInterval(t.interval());
      case BatchSelector.FixedSize f -> new io.janus.messages.dap09.BatchSelector.FixedSize(f.batchId());
    };
  }

  /** The draft 09 prepare error for a report failure; codes draft 09 lacks map to their nearest meaning. */
  static PrepareError toWire(ReportFailure failure) {
    return switch (failure) {
      case BATCH_COLLECTED -> PrepareError.BATCH_COLLECTED;
      case REPORT_REPLAYED -> PrepareError.REPORT_REPLAYED;
      case REPORT_DROPPED, TASK_NOT_STARTED -> PrepareError.REPORT_DROPPED;
      case HPKE_UNKNOWN_CONFIG_ID, OUTDATED_CONFIG -> PrepareError.HPKE_UNKNOWN_CONFIG_ID;
      case HPKE_DECRYPT_ERROR -> PrepareError.HPKE_DECRYPT_ERROR;
      case VDAF_PREP_ERROR -> PrepareError.VDAF_PREP_ERROR;
      case BATCH_SATURATED -> PrepareError.BATCH_SATURATED;
      case TASK_EXPIRED -> PrepareError.TASK_EXPIRED;
      case INVALID_MESSAGE -> PrepareError.INVALID_MESSAGE;
      case REPORT_TOO_EARLY -> PrepareError.REPORT_TOO_EARLY;
    };
  }
}

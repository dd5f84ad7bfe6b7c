package io.janus.aggregator.dap18;

import io.janus.aggregator.BatchSelector;
import io.janus.aggregator.InputShare;
import io.janus.aggregator.ProtocolVersion;
import io.janus.aggregator.ReportShare;
import io.janus.core.dap18.Dap18TaskConfigurations;
import io.janus.core.task.DapVersion;
import io.janus.core.task.Task;
import io.janus.messages.DapDuration;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap18.AggregateShareAad;
import io.janus.messages.dap18.CollectionJobReq;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.InputShareAad;
import io.janus.messages.dap18.Interval;
import io.janus.messages.dap18.PlaintextInputShare;
import io.janus.messages.dap18.Query;
import io.janus.messages.dap18.ReportError;
import io.janus.messages.dap18.ReportMetadata;
import io.janus.messages.dap18.TaskConfiguration;
import io.janus.server.datastore.model.ReportExtension;
import io.janus.server.datastore.model.ReportFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * The draft-ietf-ppm-dap-18 answers to {@link ProtocolVersion}: its HPKE labels, its AADs (which bind the task's
 * {@code TaskConfiguration}, built from {@link Task#agreement()} through {@link Dap18TaskConfigurations}) and its
 * report error codes. Neutral records carry times in seconds; this class and {@link Dap18Service} convert to and
 * from draft 18's time-precision units.
 */
public final class Dap18Protocol implements ProtocolVersion {
  /** The one instance; it holds no state. */
  public static final Dap18Protocol INSTANCE = new Dap18Protocol();

  private Dap18Protocol() {}

  @Override
  public String name() {
    return Dap18.VERSION;
  }

  @Override
  public DapVersion dapVersion() {
    return DapVersion.DAP_18;
  }

  @Override
  public byte[] inputShareInfo(Role recipient) {
    return Dap18.inputShareInfo(recipient);
  }

  @Override
  public byte[] inputShareAad(Task task, ReportShare report) {
    ReportMetadata metadata = new ReportMetadata(report.reportId(), units(report.time(), task.timePrecision()),
        toWire(report.publicExtensions()));
    return new InputShareAad(task.id(), configuration(task), metadata, report.publicShare()).toBytes();
  }

  @Override
  public InputShare decodeInputShare(byte[] plaintext) {
    PlaintextInputShare p = PlaintextInputShare.decode(plaintext);
    return new InputShare(toNeutral(p.privateExtensions()), p.payload());
  }

  /** Draft 18 registers no report extension (section 9.2.4), so every one is unrecognized (section 4.5.3.4). */
  @Override
  public boolean recognizesExtension(int type) {
    return false;
  }

  @Override
  public boolean requiresOrderedExtensions() {
    return true;
  }

  /** Draft 18 defines no in-band provisioning here: no extension type is taskprov's. */
  @Override
  public int taskprovExtensionType() {
    return -1;
  }

  @Override
  public byte[] aggregateShareInfo(Role sender) {
    return Dap18.aggregateShareInfo(sender);
  }

  @Override
  public byte[] aggregateShareAad(Task task, byte[] aggregationParameter, BatchSelector batch) {
    Query query = switch (batch) {
      case BatchSelector.TimeInterval t -> new Query.TimeInterval(Interval.fromSeconds(t.interval(),
          task.timePrecision()));
      case BatchSelector.FixedSize f -> new Query.LeaderSelected();
    };
    return new AggregateShareAad(task.id(), configuration(task),
        new CollectionJobReq(query, aggregationParameter, List.of())).toBytes();
  }

  /**
   * The task's draft-18 configuration.
   *
   * @throws IllegalStateException if the task is not a DAP-18 task (it has no agreement)
   */
  static TaskConfiguration configuration(Task task) {
    return Dap18TaskConfigurations.toTaskConfiguration(task.agreement()
        .orElseThrow(() -> new IllegalStateException("task " + task.id() + " has no DAP-18 agreement")));
  }

  /** {@code time} in units of {@code precision} (section 4.1.1); report times are multiples of it. */
  static long units(Time time, DapDuration precision) {
    return time.seconds() / precision.seconds();
  }

  /**
   * The time {@code units} time-precision units after the epoch, in seconds.
   *
   * @throws IllegalArgumentException if it does not fit a time
   */
  static Time seconds(long units, DapDuration precision) {
    try {
      return new Time(Math.multiplyExact(units, precision.seconds()));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("time " + units + " overflows in seconds", e);
    }
  }

  /** The neutral form of report extensions, in wire order. */
  static List<ReportExtension> toNeutral(List<Extension> extensions) {
    List<ReportExtension> out = new ArrayList<>(extensions.size());
    for (Extension e : extensions) {
      out.add(new ReportExtension(e.extensionType(), e.extensionData()));
    }
    return out;
  }

  private static List<Extension> toWire(List<ReportExtension> extensions) {
    List<Extension> out = new ArrayList<>(extensions.size());
    for (ReportExtension e : extensions) {
      out.add(new Extension(e.type(), e.data()));
    }
    return out;
  }

  /**
   * The draft-18 report error for a report failure (section 4.5.3.4). An unknown HPKE config is
   * {@code hpke_decrypt_error} (section 4.5.3.3, DAP18.md ambiguity 5); draft 18 has no {@code batch_saturated}
   * (its leader-selected batches have no maximum size), so that failure is {@code report_dropped}.
   */
  static ReportError toWire(ReportFailure failure) {
    return switch (failure) {
      case BATCH_COLLECTED -> ReportError.BATCH_COLLECTED;
      case REPORT_REPLAYED -> ReportError.REPORT_REPLAYED;
      case REPORT_DROPPED, BATCH_SATURATED -> ReportError.REPORT_DROPPED;
      case HPKE_UNKNOWN_CONFIG_ID, HPKE_DECRYPT_ERROR -> ReportError.HPKE_DECRYPT_ERROR;
      case OUTDATED_CONFIG -> ReportError.OUTDATED_CONFIG;
      case VDAF_PREP_ERROR -> ReportError.VDAF_VERIFY_ERROR;
      case TASK_EXPIRED -> ReportError.TASK_EXPIRED;
      case TASK_NOT_STARTED -> ReportError.TASK_NOT_STARTED;
      case INVALID_MESSAGE -> ReportError.INVALID_MESSAGE;
      case REPORT_TOO_EARLY -> ReportError.REPORT_TOO_EARLY;
    };
  }
}

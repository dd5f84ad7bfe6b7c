package io.janus.client.dap18;

import io.janus.client.ClientProtocol;
import io.janus.client.DapProtocolException;
import io.janus.client.DapHttp;
import io.janus.client.PreparedReport;
import io.janus.client.ReportExtension;
import io.janus.client.ReportRejection;
import io.janus.core.dap18.Dap18TaskConfigurations;
import io.janus.core.task.DapVersion;
import io.janus.core.task.TaskAgreement;
import io.janus.messages.DapDuration;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.dap18.Dap18;
import io.janus.messages.dap18.Extension;
import io.janus.messages.dap18.InputShareAad;
import io.janus.messages.dap18.PlaintextInputShare;
import io.janus.messages.dap18.Report;
import io.janus.messages.dap18.ReportMetadata;
import io.janus.messages.dap18.ReportUploadStatus;
import io.janus.messages.dap18.TaskConfiguration;
import io.janus.messages.dap18.UploadErrors;
import io.janus.messages.dap18.UploadRequest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The client side of draft-ietf-ppm-dap-18 (sections 4.4 and 4.4.3) for one task: {@code GET /hpke_config}
 * without a task ID, reports whose times count time-precision units, public extensions in the report metadata and
 * private ones in each {@code PlaintextInputShare}, input shares sealed under {@code InputShareAad}, which binds
 * the task's {@link TaskConfiguration}, and bulk upload by {@code POST /tasks/{task-id}/reports}, answered by an
 * empty body or an {@code UploadErrors}. Immutable.
 */
public final class Dap18ClientProtocol implements ClientProtocol {
  private final TaskId taskId;
  private final TaskConfiguration configuration;
  private final DapDuration timePrecision;
  private final List<Extension> publicExtensions;
  private final List<Extension> leaderPrivateExtensions;
  private final List<Extension> helperPrivateExtensions;

  /**
   * A protocol for task {@code taskId}.
   *
   * @param agreement the task's agreed parameters, from which the {@link TaskConfiguration} is built
   * @param publicExtensions extensions every report carries in its metadata
   * @param privateExtensions extensions every report carries inside both aggregators' input shares
   * @throws IllegalArgumentException if DAP-18 cannot express the agreement, or an extension type appears twice
   *     (section 4.5.3.4 rejects a report whose public and private extensions share a type)
   */
  public Dap18ClientProtocol(TaskId taskId, TaskAgreement agreement, List<ReportExtension> publicExtensions,
      List<ReportExtension> privateExtensions) {
    this(taskId, agreement, publicExtensions, privateExtensions, privateExtensions);
  }

  /**
   * A protocol for task {@code taskId} with different private extensions for each aggregator.
   *
   * @throws IllegalArgumentException as {@link #Dap18ClientProtocol(TaskId, TaskAgreement, List, List)}
   */
  public Dap18ClientProtocol(TaskId taskId, TaskAgreement agreement, List<ReportExtension> publicExtensions,
      List<ReportExtension> leaderPrivateExtensions, List<ReportExtension> helperPrivateExtensions) {
    this.taskId = taskId;
    this.configuration = Dap18TaskConfigurations.toTaskConfiguration(agreement);
    this.timePrecision = agreement.timePrecision();
    this.publicExtensions = sorted(publicExtensions, List.of());
    this.leaderPrivateExtensions = sorted(leaderPrivateExtensions, publicExtensions);
    this.helperPrivateExtensions = sorted(helperPrivateExtensions, publicExtensions);
  }

  /** Section 4.4.3: strictly increasing types, none shared with {@code others}. */
  private static List<Extension> sorted(List<ReportExtension> extensions, List<ReportExtension> others) {
    Set<Integer> seen = new HashSet<>();
    for (ReportExtension e : others) {
      seen.add(e.type());
    }
    Set<Integer> own = new HashSet<>();
    for (ReportExtension e : extensions) {
      if (!own.add(e.type()) || seen.contains(e.type())) {
        throw new IllegalArgumentException("report extension type " + e.type() + " appears more than once");
      }
    }
    List<Extension> out = new ArrayList<>();
    for (ReportExtension e : extensions) {
      out.add(new Extension(e.type(), e.data()));
    }
    out.sort(Comparator.comparingInt(Extension::extensionType));
    return List.copyOf(out);
  }

  /** The task configuration bound into every input share's AAD. */
  public TaskConfiguration taskConfiguration() {
    return configuration;
  }

  @Override
  public DapVersion version() {
    return DapVersion.DAP_18;
  }

  @Override
  public String reportsPath(TaskId taskId) {
    return Dap18.reportsPath(taskId);
  }

  @Override
  public String reportMediaType() {
    return UploadRequest.MEDIA_TYPE;
  }

  /** Section 4.4.1: one configuration list per aggregator, not per task. */
  @Override
  public String hpkeConfigPath(TaskId taskId) {
    return Dap18.ROUTE_HPKE_CONFIG;
  }

  @Override
  public String hpkeConfigListMediaType() {
    return Dap18.MEDIA_TYPE_HPKE_CONFIG_LIST;
  }

  @Override
  public byte[] inputShareInfo(Role recipient) {
    return Dap18.inputShareInfo(recipient);
  }

  @Override
  public byte[] inputShareAad(TaskId taskId, ReportId reportId, Time time, byte[] publicShare) {
    return new InputShareAad(taskId, configuration, metadata(reportId, time), publicShare).toBytes();
  }

  /** Taskprov is not defined for DAP-18 here, so {@code taskprov} must be false. */
  @Override
  public byte[] plaintextInputShare(Role recipient, byte[] inputShare, boolean taskprov) {
    if (taskprov) {
      throw new IllegalArgumentException("no taskprov for DAP-18");
    }
    List<Extension> extensions = switch (recipient) {
      case LEADER -> leaderPrivateExtensions;
      case HELPER -> helperPrivateExtensions;
      default -> throw new IllegalArgumentException("input shares go to the Leader or the Helper, not " + recipient);
    };
    return new PlaintextInputShare(extensions, inputShare).toBytes();
  }

  /** DAP-18 has no taskprov header defined here. */
  @Override
  public String taskprovHeader() {
    throw new UnsupportedOperationException("no taskprov for DAP-18");
  }

  @Override
  public byte[] encodeReport(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext leaderShare,
      HpkeCiphertext helperShare) {
    return new Report(metadata(reportId, time), publicShare, leaderShare, helperShare).toBytes();
  }

  /** Section 4.1.1: a report's time counts time-precision units; {@code time} is already a multiple of one. */
  private ReportMetadata metadata(ReportId reportId, Time time) {
    if (time.seconds() % timePrecision.seconds() != 0) {
      throw new IllegalArgumentException("report time " + time.seconds() + " is not a multiple of the time precision");
    }
    return new ReportMetadata(reportId, time.seconds() / timePrecision.seconds(), publicExtensions);
  }

  /** Section 4.4.2: {@code POST /tasks/{task-id}/reports}. */
  @Override
  public String uploadMethod() {
    return "POST";
  }

  @Override
  public int maxReportsPerUpload() {
    return Integer.MAX_VALUE;
  }

  /** An {@code UploadRequest} is its reports one after another, so it is their encodings concatenated. */
  @Override
  public byte[] uploadBody(List<PreparedReport> reports) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("an upload carries at least one report");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (PreparedReport r : reports) {
      if (!r.mediaType().equals(UploadRequest.MEDIA_TYPE)) {
        throw new IllegalArgumentException("report " + r.reportId() + " was not prepared for DAP-18");
      }
      out.writeBytes(r.toBytes());
    }
    return out.toByteArray();
  }

  /** Section 4.4.2.2: an empty body if the Leader took every report, else an {@code UploadErrors}. */
  @Override
  public List<ReportRejection> uploadRejections(Optional<String> contentType, byte[] body) {
    if (body.length == 0) {
      return List.of();
    }
    if (contentType.isEmpty() || !DapHttp.mediaTypeMatches(contentType.get(), UploadErrors.MEDIA_TYPE)) {
      throw new DapProtocolException("upload answered with a body of " + contentType.map(c -> "Content-Type " + c)
          .orElse("no Content-Type") + ", expected " + UploadErrors.MEDIA_TYPE);
    }
    UploadErrors errors;
    try {
      errors = UploadErrors.decode(body);
    } catch (DecodeException e) {
      throw new DapProtocolException("malformed UploadErrors: " + e.getMessage(), e);
    }
    List<ReportRejection> out = new ArrayList<>(errors.status().size());
    for (ReportUploadStatus s : errors.status()) {
      out.add(new ReportRejection(s.id(), s.error().name().toLowerCase(Locale.ROOT)));
    }
    return List.copyOf(out);
  }
}

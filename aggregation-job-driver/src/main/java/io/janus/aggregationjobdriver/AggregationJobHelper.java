package io.janus.aggregationjobdriver;

import io.janus.server.datastore.model.ReportFailure;
import io.janus.core.task.Task;
import io.janus.messages.AggregationJobId;
import io.janus.messages.BatchId;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Time;
import io.janus.server.datastore.model.ReportExtension;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Helper's aggregation-job API as the driver sees it, independent of any DAP draft's wire format; each draft
 * supplies an implementation (see {@code dap09.Dap09AggregationJobHelper}).
 *
 * <p>Implementations retry transient failures themselves and throw
 * {@link io.janus.core.http.DapRequestException} when the request failed for good. A response that does not answer
 * exactly the reports sent, in order, is an {@link InvalidHelperResponseException}. A Helper that defers its answer
 * (DAP-18) is polled until the deadline; if the answer is still not ready then, the call throws
 * {@link io.janus.core.http.NotReadyException}, and the driver asks again later with the same request.
 *
 * <p>Where the Helper keeps the job: a DAP-09 Leader names the job itself ({@code jobId}); a DAP-18 Helper names it
 * in its answer to {@link #initialize}, which returns it as {@link Initialized#helperLocation()} (or carries it in
 * the {@code NotReadyException}), and the driver passes it back to {@link #continueJob} and {@link #delete}.
 */
public interface AggregationJobHelper {
  /**
   * Creates the job at the Helper and returns its answer for every report, in request order. The request must be
   * the same bytes each time it is sent for the same job and reports (DAP-18 section 4.5.3.1: the Helper maps a
   * byte-identical request to the job it already created).
   *
   * @param task the Leader's task
   * @param jobId the aggregation job
   * @param aggregationParameter the encoded aggregation parameter
   * @param batchId the job's batch, for fixed-size tasks
   * @param inits one per report still in preparation
   * @param deadline no attempt may start after this instant
   * @throws io.janus.core.http.NotReadyException if the Helper deferred the answer beyond the deadline
   */
  Initialized initialize(Task task, AggregationJobId jobId, byte[] aggregationParameter,
      Optional<BatchId> batchId, List<PrepareInit> inits, Instant deadline) throws InterruptedException;

  /**
   * Advances the job at the Helper to {@code step} and returns its answer for every report, in request order.
   *
   * @param helperLocation where the Helper keeps the job, as {@link #initialize} reported it (DAP-18; DAP-09 has
   *     none)
   * @param step the step being requested (the first continuation is 1)
   * @param continues one per report still in preparation
   * @param deadline no attempt may start after this instant
   * @throws io.janus.core.http.NotReadyException if the Helper deferred the answer beyond the deadline
   */
  List<PrepareResponse> continueJob(Task task, AggregationJobId jobId, Optional<URI> helperLocation, int step,
      List<PrepareContinue> continues, Instant deadline) throws InterruptedException;

  /**
   * Tells the Helper the Leader abandoned the job, so it can release what it holds for it (draft 09: the Leader
   * SHOULD send DELETE for an abandoned job; draft 18 section 4.5.5 likewise). A Helper that does not know the job,
   * or already deleted it, is fine; so is a DAP-18 job whose location the Helper never named (nothing to delete).
   *
   * @param helperLocation where the Helper keeps the job, if known (DAP-18)
   * @param deadline no attempt may start after this instant
   * @throws io.janus.core.http.DapRequestException if the Helper could not be reached or refused the request
   */
  void delete(Task task, AggregationJobId jobId, Optional<URI> helperLocation, Instant deadline)
      throws InterruptedException;

  /**
   * The Helper's answer to the initialization request.
   *
   * @param responses one per report sent, in request order
   * @param helperLocation where the Helper keeps the job (DAP-18's {@code Location}, without the {@code step}
   *     query); empty for DAP-09
   */
  record Initialized(List<PrepareResponse> responses, Optional<URI> helperLocation) {
    /** Copies the list. */
    public Initialized {
      responses = List.copyOf(responses);
      Objects.requireNonNull(helperLocation, "helperLocation");
    }
  }

  /**
   * One report in the job's initialization request.
   *
   * @param reportId the report
   * @param time the report's timestamp
   * @param publicShare the VDAF public share
   * @param helperEncryptedInputShare the Helper's input share, sealed by the client
   * @param message the Leader's first ping-pong message
   * @param publicExtensions the report's public extensions (DAP-18; none for DAP-09), forwarded to the Helper
   */
  record PrepareInit(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext helperEncryptedInputShare,
      byte[] message, List<ReportExtension> publicExtensions) {
    /** Copies the arrays. */
    public PrepareInit {
      Objects.requireNonNull(reportId, "reportId");
      publicShare = publicShare.clone();
      message = message.clone();
      publicExtensions = List.copyOf(publicExtensions);
    }

    /** A report without public extensions. */
    public PrepareInit(ReportId reportId, Time time, byte[] publicShare, HpkeCiphertext helperEncryptedInputShare,
        byte[] message) {
      this(reportId, time, publicShare, helperEncryptedInputShare, message, List.of());
    }

    @Override
    public byte[] publicShare() {
      return publicShare.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }
  }

  /**
   * One report in a continuation request.
   *
   * @param reportId the report
   * @param message the Leader's next ping-pong message
   */
  record PrepareContinue(ReportId reportId, byte[] message) {
    /** Copies the message. */
    public PrepareContinue {
      Objects.requireNonNull(reportId, "reportId");
      message = message.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }
  }

  /** The Helper's answer for one report. */
  sealed interface PrepareResponse {
    /** The report answered. */
    ReportId reportId();

    /**
     * Preparation continues with the Helper's ping-pong {@code message}.
     *
     * @param reportId the report
     * @param message the Helper's message
     */
    record Continue(ReportId reportId, byte[] message) implements PrepareResponse {
      /** Copies the message. */
      public Continue {
        message = message.clone();
      }

      @Override
      public byte[] message() {
        return message.clone();
      }
    }

    /**
     * The Helper finished preparing the report.
     *
     * @param reportId the report
     */
    record Finished(ReportId reportId) implements PrepareResponse {}

    /**
     * The Helper rejected the report.
     *
     * @param reportId the report
     * @param failure why
     */
    record Reject(ReportId reportId, ReportFailure failure) implements PrepareResponse {}
  }

  /** The Helper answered with a well-formed message that does not fit the request (other reports, wrong order). */
  final class InvalidHelperResponseException extends RuntimeException {
    /** Creates the exception. */
    public InvalidHelperResponseException(String message) {
      super(message);
    }
  }
}

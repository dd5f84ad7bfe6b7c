package io.janus.messages;

/**
 * The DAP problem-document types ({@code urn:ietf:params:ppm:dap:error:*}), with the short title sent in the
 * {@code title} member. This is the only place the URNs are spelled out.
 *
 * <p>The enum is the union over the drafts janus-java speaks; each draft's constants class says which of them that
 * draft defines ({@link io.janus.messages.dap09.Dap09#PROBLEM_TYPES},
 * {@link io.janus.messages.dap18.Dap18#PROBLEM_TYPES}).
 */
public enum DapProblemType {
  INVALID_MESSAGE("invalidMessage", "The message type for a response was incorrect or the payload was malformed."),
  UNRECOGNIZED_TASK("unrecognizedTask", "An endpoint received a message with an unknown task ID."),
  UNRECOGNIZED_AGGREGATION_JOB("unrecognizedAggregationJob",
      "An endpoint received a message with an unknown aggregation job ID."),
  OUTDATED_CONFIG("outdatedConfig", "The message was generated using an outdated configuration."),
  REPORT_REJECTED("reportRejected", "Report could not be processed."),
  REPORT_TOO_EARLY("reportTooEarly", "Report could not be processed because it arrived too early."),
  BATCH_INVALID("batchInvalid", "The batch implied by the query is invalid."),
  INVALID_BATCH_SIZE("invalidBatchSize",
      "The number of reports included in the batch is invalid."),
  BATCH_QUERIED_TOO_MANY_TIMES("batchQueriedTooManyTimes",
      "The batch described by the query has been queried too many times."),
  BATCH_MISMATCH("batchMismatch", "Leader and helper disagree on reports aggregated in a batch."),
  UNAUTHORIZED_REQUEST("unauthorizedRequest", "The request's authorization is not valid."),
  MISSING_TASK_ID("missingTaskID", "HPKE configuration was requested without specifying a task ID."),
  STEP_MISMATCH("stepMismatch", "The leader and helper are not on the same step of VDAF preparation."),
  BATCH_OVERLAP("batchOverlap",
      "The queried batch overlaps with a previously queried batch."),
  /** An aggregator opted out of a task provisioned in-band (draft-wang-ppm-dap-taskprov-04, section 2). */
  INVALID_TASK("invalidTask", "Aggregator has opted out of the indicated task."),
  /** Added by draft-ietf-ppm-dap-18 (section 3.6). */
  INVALID_AGGREGATION_PARAMETER("invalidAggregationParameter",
      "The aggregation parameter assigned to a batch is invalid."),
  /** Added by draft-ietf-ppm-dap-18 (section 3.6); may carry an {@code unsupported_extensions} member. */
  UNSUPPORTED_EXTENSION("unsupportedExtension", "An extensions list includes an unknown extension."),
  /** Added by draft-ietf-ppm-dap-18 (section 3.6). */
  INVALID_EXTENSION("invalidExtension",
      "An extensions list is out of order or contains an invalid extension encoding.");

  /** The prefix every DAP problem type URN shares. */
  public static final String URN_PREFIX = "urn:ietf:params:ppm:dap:error:";

  private final String name;
  private final String title;

  DapProblemType(String name, String title) {
    this.name = name;
    this.title = title;
  }

  /** The full type URN. */
  public String urn() {
    return URN_PREFIX + name;
  }

  /** The short error name after the URN prefix, e.g. {@code invalidMessage}. */
  public String errorName() {
    return name;
  }

  /** A one-line human-readable title. */
  public String title() {
    return title;
  }

  /** Looks up a type by its full URN. */
  public static java.util.Optional<DapProblemType> fromUrn(String urn) {
    for (DapProblemType t : values()) {
      if (t.urn().equals(urn)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }

  /** The type whose {@link #errorName()} is {@code name}, if any. */
  public static java.util.Optional<DapProblemType> fromErrorName(String name) {
    for (DapProblemType t : values()) {
      if (t.errorName().equals(name)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}

package io.janus.server.datastore.model;

/**
 * Why one report was rejected during preparation, by meaning; each DAP draft maps these to its own code points
 * (DAP-09's PrepareError, DAP-18's ReportError) at the wire edge.
 */
public enum ReportFailure implements DbEnum {
  /** The report falls in a batch that was already collected. */
  BATCH_COLLECTED("BATCH_COLLECTED"),
  /** The report ID was seen before. */
  REPORT_REPLAYED("REPORT_REPLAYED"),
  /** The report was dropped, for example because its replay state was evicted. */
  REPORT_DROPPED("REPORT_DROPPED"),
  /** The report names an HPKE config this aggregator does not have. */
  HPKE_UNKNOWN_CONFIG_ID("HPKE_UNKNOWN_CONFIG_ID"),
  /** The input share did not decrypt. */
  HPKE_DECRYPT_ERROR("HPKE_DECRYPT_ERROR"),
  /** VDAF preparation failed. */
  VDAF_PREP_ERROR("VDAF_PREP_ERROR"),
  /** The fixed-size batch is already full. */
  BATCH_SATURATED("BATCH_SATURATED"),
  /** The task had expired. */
  TASK_EXPIRED("TASK_EXPIRED"),
  /** A message or extension in the report was malformed. */
  INVALID_MESSAGE("INVALID_MESSAGE"),
  /** The report's timestamp is too far in the future. */
  REPORT_TOO_EARLY("REPORT_TOO_EARLY"),
  /** The task had not started yet (later drafts). */
  TASK_NOT_STARTED("TASK_NOT_STARTED"),
  /** The report used an outdated HPKE config (later drafts). */
  OUTDATED_CONFIG("OUTDATED_CONFIG");

  private final String dbText;

  ReportFailure(String dbText) {
    this.dbText = dbText;
  }

  @Override
  public String dbText() {
    return dbText;
  }
}

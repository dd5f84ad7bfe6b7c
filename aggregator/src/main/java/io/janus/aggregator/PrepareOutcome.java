package io.janus.aggregator;

import io.janus.server.datastore.model.ReportFailure;
import io.janus.messages.ReportId;
import java.util.Objects;

/** The Helper's answer for one report of an aggregation job, version-neutral. */
public sealed interface PrepareOutcome {
  /** The report this outcome is for. */
  ReportId reportId();

  /**
   * Preparation goes on (or, for the Leader, can finish): here is the Helper's ping-pong message.
   *
   * @param reportId the report
   * @param message the Helper's ping-pong message
   */
  record Continue(ReportId reportId, byte[] message) implements PrepareOutcome {
    /** Copies the message. */
    public Continue {
      Objects.requireNonNull(reportId, "reportId");
      message = message.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Continue c && c.reportId.equals(reportId) && java.util.Arrays.equals(c.message, message);
    }

    @Override
    public int hashCode() {
      return reportId.hashCode() * 31 + java.util.Arrays.hashCode(message);
    }

    @Override
    public String toString() {
      return "Continue[" + reportId + "]";
    }
  }

  /**
   * The Helper finished preparing the report and holds its output share.
   *
   * @param reportId the report
   */
  record Finished(ReportId reportId) implements PrepareOutcome {
    /** Rejects a null ID. */
    public Finished {
      Objects.requireNonNull(reportId, "reportId");
    }
  }

  /**
   * The Helper rejected the report.
   *
   * @param reportId the report
   * @param error why
   */
  record Rejected(ReportId reportId, ReportFailure error) implements PrepareOutcome {
    /** Rejects nulls. */
    public Rejected {
      Objects.requireNonNull(reportId, "reportId");
      Objects.requireNonNull(error, "error");
    }
  }
}

package io.janus.server.datastore.model;

import io.janus.messages.ReportId;
import io.janus.messages.Time;

/**
 * A report's ID and client timestamp: all the Helper keeps of a report for replay detection.
 *
 * @param reportId the report ID
 * @param time the client's timestamp
 */
public record ReportTimestamp(ReportId reportId, Time time) {}

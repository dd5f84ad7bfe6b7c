/**
 * Stored-state records and state enums of the datastore. They hold what a value means (seconds, raw IDs, opaque
 * VDAF blobs) and are never reused as wire messages; enums map to database text through
 * {@link io.janus.server.datastore.model.DbEnum}, never by ordinal.
 */
package io.janus.server.datastore.model;

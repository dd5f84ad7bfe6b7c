package io.janus.server.datastore;

import io.janus.core.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One database transaction, handed to a {@link TxBody} by {@link Datastore#run}. Reach the tables through the
 * accessors ({@code tx.tasks()}, {@code tx.clientReports()}, ...). Not thread-safe; do not keep it after the body
 * returns.
 */
public final class Tx {
  private final Connection connection;
  private final String name;
  private final Crypter crypter;
  private final Clock clock;
  private Optional<SQLException> retryableFailure = Optional.empty();

  private TasksTable tasks;
  private HpkeKeysTable hpkeKeys;
  private ClientReportsTable clientReports;
  private AggregationJobsTable aggregationJobs;
  private ReportAggregationsTable reportAggregations;
  private BatchAggregationsTable batchAggregations;
  private CollectionJobsTable collectionJobs;
  private AggregateShareJobsTable aggregateShareJobs;
  private OutstandingBatchesTable outstandingBatches;
  private TaskCountersTable taskCounters;
  private TaskprovPeersTable taskprovPeers;
  private HelperAggregationRequestsTable helperAggregationRequests;

  Tx(Connection connection, String name, Crypter crypter, Clock clock) {
    this.connection = connection;
    this.name = name;
    this.crypter = crypter;
    this.clock = clock;
  }

  /** The transaction's name, recorded as {@code updated_by} on every row it writes. */
  public String name() {
    return name;
  }

  /** The clock the datastore was built with. */
  public Clock clock() {
    return clock;
  }

  /** The {@code tasks} and {@code task_hpke_keys} tables. */
  public TasksTable tasks() {
    if (tasks == null) {
      tasks = new TasksTable(this);
    }
    return tasks;
  }

  /** The Helper's aggregation job requests still to do (asynchronous mode). */
  public HelperAggregationRequestsTable helperAggregationRequests() {
    if (helperAggregationRequests == null) {
      helperAggregationRequests = new HelperAggregationRequestsTable(this);
    }
    return helperAggregationRequests;
  }

  /** The global and per-task HPKE key tables. */
  public HpkeKeysTable hpkeKeys() {
    if (hpkeKeys == null) {
      hpkeKeys = new HpkeKeysTable(this);
    }
    return hpkeKeys;
  }

  /** The {@code client_reports} table. */
  public ClientReportsTable clientReports() {
    if (clientReports == null) {
      clientReports = new ClientReportsTable(this);
    }
    return clientReports;
  }

  /** The {@code aggregation_jobs} table. */
  public AggregationJobsTable aggregationJobs() {
    if (aggregationJobs == null) {
      aggregationJobs = new AggregationJobsTable(this);
    }
    return aggregationJobs;
  }

  /** The {@code report_aggregations} table. */
  public ReportAggregationsTable reportAggregations() {
    if (reportAggregations == null) {
      reportAggregations = new ReportAggregationsTable(this);
    }
    return reportAggregations;
  }

  /** The {@code batch_aggregations} table. */
  public BatchAggregationsTable batchAggregations() {
    if (batchAggregations == null) {
      batchAggregations = new BatchAggregationsTable(this);
    }
    return batchAggregations;
  }

  /** The {@code collection_jobs} table. */
  public CollectionJobsTable collectionJobs() {
    if (collectionJobs == null) {
      collectionJobs = new CollectionJobsTable(this);
    }
    return collectionJobs;
  }

  /** The {@code aggregate_share_jobs} table. */
  public AggregateShareJobsTable aggregateShareJobs() {
    if (aggregateShareJobs == null) {
      aggregateShareJobs = new AggregateShareJobsTable(this);
    }
    return aggregateShareJobs;
  }

  /** The {@code outstanding_batches} table. */
  public OutstandingBatchesTable outstandingBatches() {
    if (outstandingBatches == null) {
      outstandingBatches = new OutstandingBatchesTable(this);
    }
    return outstandingBatches;
  }

  /** The sharded {@code task_upload_counters} and {@code task_aggregation_counters} tables. */
  public TaskCountersTable taskCounters() {
    if (taskCounters == null) {
      taskCounters = new TaskCountersTable(this);
    }
    return taskCounters;
  }

  /** The taskprov peer aggregator tables. */
  public TaskprovPeersTable taskprovPeers() {
    if (taskprovPeers == null) {
      taskprovPeers = new TaskprovPeersTable(this);
    }
    return taskprovPeers;
  }

  Connection connection() {
    return connection;
  }

  Crypter crypter() {
    return crypter;
  }

  PreparedStatement prepare(String sql) throws SQLException {
    return connection.prepareStatement(sql);
  }

  /**
   * Wraps a failed statement. A serialization failure or deadlock is remembered, so that the transaction is retried
   * even if the body catches the exception.
   */
  DatastoreException fail(String statement, SQLException e) {
    if (Datastore.isRetryable(e)) {
      retryableFailure = Optional.of(e);
    }
    return DatastoreUnavailableException.isUnavailable(e)
        ? new DatastoreUnavailableException(statement + " failed: " + e.getMessage(), e)
        : new DatastoreException(statement + " failed: " + e.getMessage(), e);
  }

  Optional<SQLException> retryableFailure() {
    return retryableFailure;
  }
}

package io.janus.server.datastore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.janus.core.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The only way to reach the database: runs named transactions at REPEATABLE READ and retries them on
 * serialization failures and deadlocks.
 *
 * <p><b>The body may run several times.</b> When PostgreSQL reports SQLSTATE 40001 (serialization failure) or
 * 40P01 (deadlock), the transaction is rolled back and the whole body is run again on a fresh transaction, up to
 * {@code maxTransactionRetries} times; then {@link TooManyRetriesException} is thrown. Nothing the body read is
 * final until {@code run} returns, and the body must have no effect outside the transaction.
 *
 * <p>Each transaction is recorded in {@code janus_database_transactions{tx,status}} (status {@code success},
 * {@code error_db}, {@code error_other} or {@code error_too_many_retries}), with the retry count in
 * {@code janus_database_transaction_retries{tx}} and the wall time in
 * {@code janus_database_transaction_duration{tx}}.
 *
 * <p>Each transaction is also traced as one span named after the transaction, a child of the caller's current
 * OpenTelemetry context (so an HTTP request's span contains the transactions it ran), covering every attempt. It
 * carries {@value #ATTR_RETRIES} and {@value #ATTR_OUTCOME} (the metric's status), plus {@code db.system.name}
 * {@code postgresql}; its status is ERROR unless the transaction committed. Thread-safe.
 */
public final class Datastore {
  private static final Logger LOG = Logger.getLogger(Datastore.class.getName());

  /** The instrumentation scope name of the datastore's spans. */
  public static final String INSTRUMENTATION_SCOPE = "io.janus.server.datastore";
  /** Span attribute: how many times the transaction was rerun after a retryable failure. */
  public static final String ATTR_RETRIES = "janus.tx.retries";
  /** Span attribute: the outcome, as in the {@code status} tag of {@code janus_database_transactions}. */
  public static final String ATTR_OUTCOME = "janus.tx.outcome";

  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<Long> RETRIES = AttributeKey.longKey(ATTR_RETRIES);
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(ATTR_OUTCOME);

  private final DataSource dataSource;
  private final Crypter crypter;
  private final Clock clock;
  private final int maxTransactionRetries;
  private final MeterRegistry meterRegistry;
  private final Tracer tracer;

  /**
   * Creates a datastore that records no spans; see
   * {@link #Datastore(DataSource, Crypter, Clock, int, MeterRegistry, Tracer)}.
   */
  public Datastore(DataSource dataSource, Crypter crypter, Clock clock, int maxTransactionRetries,
      MeterRegistry meterRegistry) {
    this(dataSource, crypter, clock, maxTransactionRetries, meterRegistry,
        OpenTelemetry.noop().getTracer(INSTRUMENTATION_SCOPE));
  }

  /**
   * Creates a datastore.
   *
   * @param dataSource connections with autoCommit off and REPEATABLE READ isolation (see {@link #dataSource})
   * @param crypter encrypts secret columns
   * @param clock the time used for leases and timestamps
   * @param maxTransactionRetries how many times a transaction is retried after a serialization failure or deadlock
   * @param meterRegistry where transaction metrics go
   * @param tracer records one span per transaction (obtain it with {@link #INSTRUMENTATION_SCOPE})
   */
  public Datastore(DataSource dataSource, Crypter crypter, Clock clock, int maxTransactionRetries,
      MeterRegistry meterRegistry, Tracer tracer) {
    if (maxTransactionRetries < 0) {
      throw new IllegalArgumentException("maxTransactionRetries must not be negative");
    }
    this.dataSource = dataSource;
    this.crypter = crypter;
    this.clock = clock;
    this.maxTransactionRetries = maxTransactionRetries;
    this.meterRegistry = meterRegistry;
    this.tracer = tracer;
  }

  /**
   * Builds the connection pool: autoCommit off and REPEATABLE READ are set once here, never per transaction.
   *
   * @param jdbcUrl the PostgreSQL JDBC URL
   * @param password the password, if not in the URL
   * @param maxPoolSize the most connections the pool opens
   * @param timeout how long to wait for a connection, and to establish one
   */
  public static HikariDataSource dataSource(String jdbcUrl, Optional<String> password, int maxPoolSize,
      Duration timeout) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    password.ifPresent(c::setPassword);
    c.setMaximumPoolSize(maxPoolSize);
    c.setConnectionTimeout(timeout.toMillis());
    c.setValidationTimeout(Math.min(timeout.toMillis(), 5_000));
    c.setAutoCommit(false);
    c.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
    c.setPoolName("janus-datastore");
    // Bound how long a connection attempt may take as well as how long a borrow may wait.
    c.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
    return new HikariDataSource(c);
  }

  /** The clock this datastore uses. */
  public Clock clock() {
    return clock;
  }

  /** The crypter this datastore uses. */
  public Crypter crypter() {
    return crypter;
  }

  /**
   * Runs {@code body} in a transaction named {@code txName} and commits it, retrying the whole body on
   * serialization failures and deadlocks (see the class comment: <b>the body may run several times</b>).
   *
   * @return what the body returned on the attempt that committed
   * @throws TooManyRetriesException if every allowed attempt hit a retryable failure
   * @throws DatastoreException on any other database failure (the transaction is rolled back)
   * @throws RuntimeException whatever the body threw (the transaction is rolled back)
   */
  public <T> T run(String txName, TxBody<T> body) {
    long start = System.nanoTime();
    int retries = 0;
    String status = "error_other";
    // Internal, not client: one span covers every attempt, and the transaction is our unit of work.
    Span span = tracer.spanBuilder(txName).setSpanKind(SpanKind.INTERNAL).setAttribute(DB_SYSTEM, "postgresql")
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      while (true) {
        Attempt<T> a = attempt(txName, body);
        if (a.retryable.isEmpty()) {
          status = "success";
          return a.result;
        }
        if (retries >= maxTransactionRetries) {
          status = "error_too_many_retries";
          throw new TooManyRetriesException(txName, retries, a.retryable.get());
        }
        retries++;
      }
    } catch (DatastoreException e) {
      if (!(e instanceof TooManyRetriesException)) {
        status = e.getCause() instanceof SQLException ? "error_db" : "error_other";
      }
      span.recordException(e);
      throw e;
    } catch (RuntimeException | Error e) {
      span.recordException(e);
      throw e;
    } finally {
      span.setAttribute(RETRIES, retries);
      span.setAttribute(OUTCOME, status);
      if (!status.equals("success")) {
        span.setStatus(StatusCode.ERROR, status);
      }
      span.end();
      Counter.builder("janus_database_transactions").description("Database transactions by outcome")
          .tag("tx", txName).tag("status", status).register(meterRegistry).increment();
      DistributionSummary.builder("janus_database_transaction_retries")
          .description("Retries a transaction needed").tag("tx", txName).register(meterRegistry).record(retries);
      Timer.builder("janus_database_transaction_duration")
          .description("Wall time of a transaction, retries included").tag("tx", txName).register(meterRegistry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** The result of one attempt: the body's value, or the retryable failure that aborted it. */
  private record Attempt<T>(T result, Optional<Throwable> retryable) {}

  private <T> Attempt<T> attempt(String txName, TxBody<T> body) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new DatastoreUnavailableException("could not get a database connection for " + txName + ": "
          + e.getMessage(), e);
    }
    boolean committed = false;
    try {
      if (c.getAutoCommit()) {
        // Only for data sources not built by dataSource(); Hikari answers from its cached state.
        c.setAutoCommit(false);
      }
      Tx tx = new Tx(c, txName, crypter, clock);
      T result;
      try {
        result = body.run(tx);
      } catch (RuntimeException e) {
        Optional<Throwable> r = retryableCause(e).or(() -> tx.retryableFailure().map(x -> x));
        if (r.isPresent()) {
          return new Attempt<>(null, r);
        }
        throw e;
      }
      if (tx.retryableFailure().isPresent()) {
        // The body swallowed a serialization failure; the transaction is aborted, so run it again.
        return new Attempt<>(null, Optional.of(tx.retryableFailure().get()));
      }
      try {
        c.commit();
        committed = true;
      } catch (SQLException e) {
        if (isRetryable(e)) {
          return new Attempt<>(null, Optional.of(e));
        }
        throw DatastoreUnavailableException.isUnavailable(e)
            ? new DatastoreUnavailableException("commit of " + txName + " failed: " + e.getMessage(), e)
            : new DatastoreException("commit of " + txName + " failed: " + e.getMessage(), e);
      }
      return new Attempt<>(result, Optional.empty());
    } catch (SQLException e) {
      if (isRetryable(e)) {
        return new Attempt<>(null, Optional.of(e));
      }
      throw DatastoreUnavailableException.isUnavailable(e)
          ? new DatastoreUnavailableException("transaction " + txName + " failed: " + e.getMessage(), e)
          : new DatastoreException("transaction " + txName + " failed: " + e.getMessage(), e);
    } finally {
      if (!committed) {
        rollbackQuietly(c, txName);
      }
      try {
        c.close();
      } catch (SQLException e) {
        LOG.log(Level.FINE, "closing the connection of " + txName + " failed", e);
      }
    }
  }

  private static void rollbackQuietly(Connection c, String txName) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // The connection is broken; the pool discards it. The original failure is what matters to the caller.
      LOG.log(Level.FINE, "rollback of " + txName + " failed", e);
    }
  }

  private static Optional<Throwable> retryableCause(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (x instanceof SQLException s && isRetryable(s)) {
        return Optional.of(s);
      }
      if (x.getCause() == x) {
        break;
      }
    }
    return Optional.empty();
  }

  /** True for SQLSTATE 40001 (serialization failure) and 40P01 (deadlock detected), also in chained exceptions. */
  static boolean isRetryable(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if ("40001".equals(state) || "40P01".equals(state)) {
        return true;
      }
    }
    return false;
  }
}

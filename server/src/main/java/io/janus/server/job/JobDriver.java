package io.janus.server.job;

import io.janus.server.binary.Stopper;
import io.janus.server.datastore.model.Lease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs leased jobs: repeatedly acquires leases on as many jobs as it has free workers, and steps each on its own
 * virtual thread, never more than {@link Settings#maxConcurrentJobWorkers()} at once. Both job drivers (aggregation
 * and collection) are one of these with their own {@link LeaseAcquirer} and {@link JobStepper}.
 *
 * <p>When an acquisition finds fewer jobs than there were free workers, the driver waits
 * {@link Settings#jobDiscoveryInterval()} (or until stopped) before looking again; otherwise it looks again as soon
 * as a worker frees up. {@link #run} returns once the {@link Stopper} trips and every running step has finished.
 *
 * <p>A step that throws is logged and counted; the driver does not release its lease, so the job is retried when
 * the lease expires (steppers release leases themselves when they know the job can be retried sooner).
 * Thread-safe: several drivers, in one or many processes, may share a database, because acquisition skips rows
 * other transactions hold and every write goes through the lease.
 *
 * @param <J> the leased job type
 */
public final class JobDriver<J> {
  private static final Logger LOG = Logger.getLogger(JobDriver.class.getName());

  /**
   * How a driver paces itself.
   *
   * @param jobDiscoveryInterval how long to wait after an acquisition that did not fill every free worker; positive
   * @param maxConcurrentJobWorkers the most steps running at once
   * @param leaseDuration how long each acquired lease lasts
   * @param leaseClockSkewAllowance how long before the lease expiry a step must be done writing
   */
  public record Settings(Duration jobDiscoveryInterval, int maxConcurrentJobWorkers, Duration leaseDuration,
      Duration leaseClockSkewAllowance) {
    /** Validates the ranges. */
    public Settings {
      if (!jobDiscoveryInterval.isPositive() || maxConcurrentJobWorkers < 1 || !leaseDuration.isPositive()
          || leaseClockSkewAllowance.isNegative() || leaseClockSkewAllowance.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException("invalid job driver settings: " + jobDiscoveryInterval + ", "
            + maxConcurrentJobWorkers + ", " + leaseDuration + ", " + leaseClockSkewAllowance);
      }
    }
  }

  /**
   * Acquires leases on incomplete jobs; implementations run one datastore transaction.
   *
   * @param <J> the leased job type
   */
  @FunctionalInterface
  public interface LeaseAcquirer<J> {
    /** Leases at most {@code maxCount} jobs for {@code leaseDuration} each; returns an empty list if none. */
    List<Lease<J>> acquire(Duration leaseDuration, int maxCount);
  }

  /**
   * Steps one leased job.
   *
   * @param <J> the leased job type
   */
  @FunctionalInterface
  public interface JobStepper<J> {
    /**
     * Does one step of work on the job under {@code lease}.
     *
     * @param deadline the lease expiry minus the clock skew allowance: no write may be attempted after it
     * @throws Exception on any failure; the driver logs and counts it. The job is retried once the lease expires,
     *     or sooner if the stepper released the lease itself (the job drivers do, after a backoff)
     */
    void step(Lease<J> lease, Instant deadline) throws Exception;
  }

  private final String name;
  private final Settings settings;
  private final LeaseAcquirer<J> acquirer;
  private final JobStepper<J> stepper;
  private final Semaphore workers;
  private final Counter stepSuccesses;
  private final Counter stepFailures;
  private final Counter acquireFailures;
  private volatile Tracer tracer = OpenTelemetry.noop().getTracer("janus");

  /**
   * Creates a driver.
   *
   * @param name the driver's name, for logs and the {@code driver} tag of its metrics
   * @param settings pacing
   * @param acquirer acquires leases
   * @param stepper steps one job
   * @param meters where {@code janus_job_steps{driver,status}} and {@code janus_job_acquire_failures{driver}} go
   */
  public JobDriver(String name, Settings settings, LeaseAcquirer<J> acquirer, JobStepper<J> stepper,
      MeterRegistry meters) {
    this.name = name;
    this.settings = settings;
    this.acquirer = acquirer;
    this.stepper = stepper;
    this.workers = new Semaphore(settings.maxConcurrentJobWorkers());
    this.stepSuccesses = Counter.builder("janus_job_steps").description("Job steps by outcome")
        .tag("driver", name).tag("status", "success").register(meters);
    this.stepFailures = Counter.builder("janus_job_steps").description("Job steps by outcome")
        .tag("driver", name).tag("status", "error").register(meters);
    this.acquireFailures = Counter.builder("janus_job_acquire_failures")
        .description("Failed attempts to acquire job leases").tag("driver", name).register(meters);
  }

  /**
   * Traces each step as a span of its own (named after the driver), so what a step does, including its requests to
   * the peer (which carry the span as W3C trace context), shows in one trace. Call before {@link #run}.
   *
   * @return this driver
   */
  public JobDriver<J> tracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("io.janus.server.job");
    return this;
  }

  /**
   * Acquires and steps jobs until {@code stopper} trips, then waits for the running steps to finish.
   *
   * @throws InterruptedException if the calling thread is interrupted; running steps are left to finish alone
   */
  public void run(Stopper stopper) throws InterruptedException {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      while (!stopper.isStopped()) {
        // Wait for one free worker, checking the stopper at least once per discovery interval.
        if (!workers.tryAcquire(Math.max(1, settings.jobDiscoveryInterval().toMillis()), TimeUnit.MILLISECONDS)) {
          continue;
        }
        int free = 1 + workers.drainPermits();
        boolean filled = launch(executor, free);
        if (!filled && stopper.awaitStop(settings.jobDiscoveryInterval())) {
          break;
        }
      }
      // Every step holds a permit until it ends: taking them all back means every step has finished.
      workers.acquire(settings.maxConcurrentJobWorkers());
      workers.release(settings.maxConcurrentJobWorkers());
    }
  }

  /**
   * Acquires up to {@code free} leases (the caller holds that many permits) and starts a step for each; returns
   * the permits not used.
   *
   * @return true if as many jobs were found as there were free workers
   */
  private boolean launch(ExecutorService executor, int free) {
    List<Lease<J>> leases;
    try {
      leases = acquirer.acquire(settings.leaseDuration(), free);
    } catch (RuntimeException e) {
      acquireFailures.increment();
      LOG.log(Level.WARNING, name + ": acquiring jobs failed", e);
      workers.release(free);
      return false;
    }
    if (leases.size() > free) {
      // A broken acquirer must not let more steps run than there are workers.
      throw new IllegalStateException(name + ": asked for " + free + " leases, got " + leases.size());
    }
    workers.release(free - leases.size());
    for (Lease<J> lease : leases) {
      executor.execute(() -> stepOne(lease));
    }
    return leases.size() == free;
  }

  private void stepOne(Lease<J> lease) {
    Span span = tracer.spanBuilder(name + " step").setAttribute("janus.job", String.valueOf(lease.leased()))
        .setAttribute("janus.lease_attempts", lease.attempts()).startSpan();
    try (Scope scope = span.makeCurrent()) {
      stepper.step(lease, lease.expiry().minus(settings.leaseClockSkewAllowance()));
      stepSuccesses.increment();
    } catch (InterruptedException e) {
      stepFailures.increment();
      span.setStatus(StatusCode.ERROR, "interrupted");
      Thread.currentThread().interrupt();
      LOG.log(Level.WARNING, name + ": step of " + lease.leased() + " was interrupted", e);
    } catch (Exception e) {
      stepFailures.increment();
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      LOG.log(Level.WARNING, name + ": step of " + lease.leased() + " failed", e);
    } finally {
      span.end();
      workers.release();
    }
  }

  @Override
  public String toString() {
    return "JobDriver[" + name + ", " + settings + "]";
  }
}

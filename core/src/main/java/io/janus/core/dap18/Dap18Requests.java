package io.janus.core.dap18;

import io.janus.core.http.DapHttpClient;
import io.janus.core.http.DapRequestException;
import io.janus.core.http.NotReadyException;
import io.janus.messages.dap18.Dap18;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * A draft-ietf-ppm-dap-18 request whose answer may be deferred (sections 3.1 and 3.2), over the one
 * {@link DapHttpClient}, which retries transient failures of every single request. A 2xx answer with an empty body
 * means "not ready" ({@link Dap18#isNotReady}): the resource is then polled with GET, after the longer of the
 * server's {@code Retry-After} and the client's retry backoff (growing with each poll), until a poll returns the
 * representation or a problem. Polling stops with a {@link NotReadyException} when the next wait would pass the
 * caller's deadline or the retry policy's time budget ({@link io.janus.core.http.RetryPolicy#maxElapsed()}, counted
 * from the first request): a server that asks for minutes is asked again by a later attempt, not by a thread parked
 * for minutes. The retry policy's longest backoff does not cap the server's {@code Retry-After}: it paces retries of
 * failures, and a Helper that asks for a second more than it is never polled at all.
 *
 * <p>Draft 18 has no problem type for a failed authentication (3.5, 3.6; DAP18.md, ambiguity 4), so a 401 or 403
 * is all a client gets: it is reported as a failure a later attempt may not see (an operator can fix the token),
 * not as a final refusal, as DAP-09's {@code unauthorizedRequest} is ({@link #authenticationIsNotFinal}).
 * Thread-safe.
 */
public final class Dap18Requests {
  private final DapHttpClient http;

  /** Sends over {@code http}. */
  public Dap18Requests(DapHttpClient http) {
    this.http = http;
  }

  /** The client the requests go through. */
  public DapHttpClient http() {
    return http;
  }

  /**
   * The representation a request finally obtained.
   *
   * @param body the representation (never empty)
   * @param location the {@code Location} of the first answer, resolved against the URL that answered it, if any
   */
  public record Answer(byte[] body, Optional<URI> location) {
    /** Copies the body. */
    public Answer {
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /**
   * Sends {@code request}; if the answer is deferred, polls until the representation arrives.
   *
   * @param request built with {@link DapHttpClient#request}, headers and body included
   * @param poll the GET request that polls the resource, given the deferred answer's {@code Location} (resolved;
   *     empty if the server named none); it may throw to refuse an answer it cannot poll
   * @param deadline no request starts after this instant
   * @throws io.janus.core.http.DapRequestException if a request was refused or kept failing
   * @throws NotReadyException if the representation was not ready in time
   */
  public Answer send(HttpRequest request, Function<Optional<URI>, HttpRequest> poll, Instant deadline)
      throws InterruptedException {
    try {
      return exchange(request, poll, deadline);
    } catch (DapRequestException e) {
      throw authenticationIsNotFinal(e);
    }
  }

  private Answer exchange(HttpRequest request, Function<Optional<URI>, HttpRequest> poll, Instant deadline)
      throws InterruptedException {
    long start = http.clock().nowMillis();
    HttpResponse<byte[]> response = http.send(request, deadline);
    Optional<URI> location = location(response);
    // Polling is part of the one request: it gets the retry policy's time budget, and never passes the deadline.
    long lastPoll = saturatedAdd(start, http.policy().maxElapsed().toMillis());
    if (deadline.isBefore(Instant.ofEpochMilli(Long.MAX_VALUE))) {
      lastPoll = Math.min(lastPoll, deadline.toEpochMilli());
    }
    HttpRequest get = null;
    for (int polls = 1; Dap18.isNotReady(response.statusCode(), body(response)); polls++) {
      if (get == null) {
        get = poll.apply(location);
      }
      Optional<Duration> asked = response.headers().firstValue(Dap18.HEADER_RETRY_AFTER)
          .flatMap(v -> DapHttpClient.retryAfter(v, http.clock().nowMillis()));
      // The longer of the server's wish and our own growing backoff: a "Retry-After: 0" cannot make us spin.
      Duration backoff = http.policy().backoff(polls);
      Duration wait = asked.filter(a -> a.compareTo(backoff) > 0).orElse(backoff);
      // The server's Retry-After is honoured even beyond our own longest backoff (which paces retries of failures,
      // not a server that said when to come back); only the time budget and the deadline end the polling.
      if (http.clock().nowMillis() + wait.toMillis() > lastPoll) {
        throw new NotReadyException(request.method() + " " + request.uri() + " is not ready after " + polls
            + " answers; poll " + get.uri() + " again in " + wait, location, wait);
      }
      http.sleep(wait);
      response = http.send(get, deadline);
    }
    return new Answer(body(response), location);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /**
   * {@code e}, or for a refused 401 or 403 the same failure marked as one a later attempt may not see: draft 18 has
   * no {@code unauthorizedRequest}, so the status alone tells an authentication failure, which an operator can fix.
   */
  public static DapRequestException authenticationIsNotFinal(DapRequestException e) {
    int status = e.status().orElse(0);
    if (e.isTransient() || (status != 401 && status != 403)) {
      return e;
    }
    return new DapRequestException(e.getMessage(), e.status(), true, e.body(), e.contentType(), e);
  }

  /** The answer's {@code Location}, resolved against the URL that answered (RFC 9110 section 10.2.2). */
  public static Optional<URI> location(HttpResponse<?> response) {
    return response.headers().firstValue(Dap18.HEADER_LOCATION).map(l -> response.uri().resolve(l.strip()));
  }

  private static byte[] body(HttpResponse<byte[]> response) {
    return response.body() == null ? new byte[0] : response.body();
  }
}

package io.janus.client;

import io.janus.core.Clock;
import io.janus.core.auth.AuthenticationHeader;
import io.janus.core.http.DapHttpClient;
import io.janus.core.http.DapRequestException;
import io.janus.core.http.RetryPolicy;
import io.janus.core.http.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends DAP requests to an aggregator through core's {@link DapHttpClient} (the one retrying HTTP client of every
 * outbound DAP request): adds the media type and authentication headers, and turns failures into this library's
 * exceptions: an error status into a {@link DapHttpException} carrying the problem document, no answer into a
 * {@link DapTransportException}. Thread-safe; one instance (and so one connection pool) should serve all requests
 * of a client or collector.
 */
public final class DapHttp {
  private static final String CONTENT_TYPE = "Content-Type";

  private final DapHttpClient http;

  /**
   * Creates a sender.
   *
   * @param client the HTTP client; its connection pool is reused across requests
   * @param retryPolicy how transient failures are retried
   * @param sleeper waits between retries
   * @param requestTimeout the limit on each attempt, from sending the request to receiving the response headers
   * @param clock reads dated {@code Retry-After} values and measures the retry time
   */
  public DapHttp(HttpClient client, RetryPolicy retryPolicy, Sleeper sleeper, Duration requestTimeout, Clock clock) {
    this.http = DapHttpClient.builder().httpClient(client).retryPolicy(retryPolicy).sleeper(sleeper)
        .requestTimeout(requestTimeout).clock(clock).build();
  }

  /**
   * An HTTP client suited to DAP ({@link DapHttpClient#defaultHttpClient}): HTTP/1.1, a 10-second connect timeout,
   * and redirects followed except from HTTPS to HTTP.
   */
  public static HttpClient defaultHttpClient() {
    return DapHttpClient.defaultHttpClient(Duration.ofSeconds(10));
  }

  /** GETs {@code uri}; returns the 2xx response or throws. */
  public HttpResponse<byte[]> get(URI uri, List<AuthenticationHeader> auth) {
    return send(request(uri, auth).GET().build());
  }

  /** {@link #get}, with further request headers (name to value), such as {@code Accept}. */
  public HttpResponse<byte[]> get(URI uri, List<AuthenticationHeader> auth, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = request(uri, auth);
    headers.forEach(b::header);
    return send(b.GET().build());
  }

  /** PUTs {@code body} with media type {@code contentType}; returns the 2xx response or throws. */
  public HttpResponse<byte[]> put(URI uri, String contentType, byte[] body, List<AuthenticationHeader> auth) {
    return send(request(uri, auth)
        .header(CONTENT_TYPE, contentType)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .build());
  }

  /** {@link #put}, with further request headers (name to value). */
  public HttpResponse<byte[]> put(URI uri, String contentType, byte[] body, List<AuthenticationHeader> auth,
      java.util.Map<String, String> headers) {
    HttpRequest.Builder b = request(uri, auth).header(CONTENT_TYPE, contentType);
    headers.forEach(b::header);
    return send(b.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** POSTs an empty body (a DAP-09 poll); returns the 2xx response or throws. */
  public HttpResponse<byte[]> post(URI uri, List<AuthenticationHeader> auth) {
    // The JDK sends Content-Length: 0 for an empty publisher; some servers insist on it for POST.
    return send(request(uri, auth).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /**
   * POSTs {@code body} with media type {@code contentType} and further request headers (name to value); returns
   * the 2xx response or throws.
   */
  public HttpResponse<byte[]> post(URI uri, String contentType, byte[] body, List<AuthenticationHeader> auth,
      java.util.Map<String, String> headers) {
    HttpRequest.Builder b = request(uri, auth).header(CONTENT_TYPE, contentType);
    headers.forEach(b::header);
    return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** DELETEs {@code uri}; returns the 2xx response or throws. */
  public HttpResponse<byte[]> delete(URI uri, List<AuthenticationHeader> auth) {
    return send(request(uri, auth).DELETE().build());
  }

  private HttpRequest.Builder request(URI uri, List<AuthenticationHeader> auth) {
    HttpRequest.Builder b = http.request(uri);
    for (AuthenticationHeader h : auth) {
      b.header(h.name(), h.value());
    }
    return b;
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request);
    } catch (DapRequestException e) {
      if (e.status().isPresent()) {
        throw new DapHttpException(request.method(), request.uri(), e.status().getAsInt(),
            ProblemDocument.parse(e.contentType(), e.body()));
      }
      throw new DapTransportException(e.getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DapTransportException(request.method() + " " + request.uri() + ": interrupted", e);
    }
  }

  /**
   * Checks an aggregator's endpoint URL and gives it a trailing slash, so DAP paths resolve beneath it rather than
   * replacing its last segment (an aggregator may live under a path prefix).
   *
   * @throws IllegalArgumentException unless the URL is absolute http or https without query or fragment
   */
  public static URI endpoint(URI url) {
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
      throw new IllegalArgumentException("aggregator endpoint must be an http or https URL: " + url);
    }
    if (url.getRawAuthority() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException("aggregator endpoint must have a host and no query or fragment: " + url);
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return path.endsWith("/") ? url.resolve(path) : URI.create(url.toString() + "/");
  }

  /** Resolves a DAP path such as {@code /tasks/{id}/reports} beneath an {@link #endpoint}. */
  public static URI resolve(URI endpoint, String dapPath) {
    return endpoint.resolve(dapPath.startsWith("/") ? dapPath.substring(1) : dapPath);
  }

  /**
   * True if a {@code Content-Type} value names {@code expected}, ignoring case and spaces. Parameters of the header
   * that {@code expected} does not name are ignored (such as DAP-18's optional {@code version} hint); each one
   * {@code expected} names (such as DAP-18's {@code message}) must be present with the same value, names compared
   * case-insensitively and quoted values unquoted (RFC 9110 section 8.3).
   */
  public static boolean mediaTypeMatches(String header, String expected) {
    String[] got = header.split(";", -1);
    String[] want = expected.split(";", -1);
    if (!got[0].strip().toLowerCase(Locale.ROOT).equals(want[0].strip().toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 1; i < want.length; i++) {
      String[] w = parameter(want[i]);
      boolean found = false;
      for (int j = 1; j < got.length && !found; j++) {
        String[] g = parameter(got[j]);
        found = g[0].equals(w[0]) && g[1].equals(w[1]);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** A media type parameter as {name in lower case, unquoted value}. */
  private static String[] parameter(String text) {
    int eq = text.indexOf('=');
    String name = (eq < 0 ? text : text.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
    String value = eq < 0 ? "" : text.substring(eq + 1).strip();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1).replace("\\", "");
    }
    return new String[] {name, value};
  }

  /**
   * Checks that a successful response carries media type {@code expected}.
   *
   * @throws DapProtocolException if the header is missing or names another type
   */
  public static void requireContentType(HttpResponse<?> response, String expected) {
    Optional<String> got = response.headers().firstValue(CONTENT_TYPE);
    if (got.isEmpty() || !mediaTypeMatches(got.get(), expected)) {
      throw new DapProtocolException(response.request().method() + " " + response.uri() + ": expected "
          + expected + ", got " + got.map(g -> "Content-Type " + g).orElse("no Content-Type"));
    }
  }

  /**
   * The wait a response's {@code Retry-After} header asks for (RFC 9110 section 10.2.3): delta-seconds, or an
   * HTTP-date measured against {@code nowMillis}; a date in the past means no wait.
   *
   * @return the wait, or empty if the header is absent or unparseable (then the caller's own backoff applies)
   */
  public static Optional<Duration> retryAfter(HttpResponse<?> response, long nowMillis) {
    return response.headers().firstValue("Retry-After").flatMap(v -> retryAfter(v, nowMillis));
  }

  /**
   * Parses a {@code Retry-After} value: delta-seconds, or an HTTP-date measured against {@code nowMillis}.
   *
   * @return the wait, or empty if the value is unparseable
   */
  public static Optional<Duration> retryAfter(String headerValue, long nowMillis) {
    return DapHttpClient.retryAfter(headerValue, nowMillis);
  }
}

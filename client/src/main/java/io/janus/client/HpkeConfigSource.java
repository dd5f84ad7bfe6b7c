package io.janus.client;

import io.janus.core.Clock;
import io.janus.core.hpke.Hpke;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeConfig;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Role;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One aggregator's HPKE configuration as the client uses it: either fixed at build time, or fetched from
 * {@code GET {endpoint}/hpke_config?task_id=...} and cached for as long as the response's
 * {@code Cache-Control: max-age} allows (indefinitely without one; an {@code outdatedConfig} answer forces a
 * refetch). Concurrent callers share one fetch: the lock is held across the request, and it is a
 * {@link ReentrantLock} because the request blocks.
 */
final class HpkeConfigSource {
  /**
   * One fetched (or fixed) selection and when it stops being usable, in clock milliseconds. Compared by identity
   * to tell whether another thread fetched since.
   */
  static final class Snapshot {
    private final HpkeConfig config;
    private final long expiresAtMillis;

    Snapshot(HpkeConfig config, long expiresAtMillis) {
      this.config = config;
      this.expiresAtMillis = expiresAtMillis;
    }

    HpkeConfig config() {
      return config;
    }

    long expiresAtMillis() {
      return expiresAtMillis;
    }
  }

  /** Where a fetched configuration comes from. */
  private record Origin(URI uri, String mediaType, DapHttp http) {}

  private final Role role;
  private final Optional<Origin> origin;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Snapshot cached;

  private HpkeConfigSource(Role role, Optional<Origin> origin, Clock clock, Snapshot initial) {
    this.role = role;
    this.origin = origin;
    this.clock = clock;
    this.cached = initial;
  }

  /** A source that always answers {@code config} and never fetches. */
  static HpkeConfigSource fixed(Role role, HpkeConfig config, Clock clock) {
    if (!Hpke.isSupported(config)) {
      throw new IllegalArgumentException(role + " HPKE config has an unsupported suite: " + config);
    }
    return new HpkeConfigSource(role, Optional.empty(), clock, new Snapshot(config, Long.MAX_VALUE));
  }

  /** A source that fetches from {@code uri} (answered with {@code mediaType}) on first use. */
  static HpkeConfigSource fetched(Role role, URI uri, String mediaType, DapHttp http, Clock clock) {
    return new HpkeConfigSource(role, Optional.of(new Origin(uri, mediaType, http)), clock, null);
  }

  /** The config to seal to now, fetching it if nothing usable is cached. */
  Snapshot current() {
    Snapshot c = cached;
    if (c != null && clock.nowMillis() < c.expiresAtMillis()) {
      return c;
    }
    lock.lock();
    try {
      c = cached;
      if (c != null && clock.nowMillis() < c.expiresAtMillis()) {
        return c;
      }
      return fetch();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The config to use after the Leader rejected a report sealed to {@code used} as outdated: fetches again unless
   * another thread already fetched since {@code used} was taken, so many uploads failing at once cost one fetch.
   * A fixed source has nothing to refetch and answers {@code used} again.
   */
  Snapshot refreshAfterOutdated(Snapshot used) {
    if (origin.isEmpty()) {
      return used;
    }
    lock.lock();
    try {
      Snapshot c = cached;
      if (c != null && c != used && clock.nowMillis() < c.expiresAtMillis()) {
        return c;
      }
      return fetch();
    } finally {
      lock.unlock();
    }
  }

  /** Fetches now, unless the source is fixed. */
  Snapshot refresh() {
    if (origin.isEmpty()) {
      return cached;
    }
    lock.lock();
    try {
      return fetch();
    } finally {
      lock.unlock();
    }
  }

  /** Called with the lock held. */
  private Snapshot fetch() {
    URI u = origin.orElseThrow().uri();
    // Accept names the draft's media type: an aggregator serving several drafts answers /hpke_config by it.
    HttpResponse<byte[]> response = origin.orElseThrow().http().get(u, List.of(),
        java.util.Map.of("Accept", origin.orElseThrow().mediaType()));
    long fetchedAt = clock.nowMillis();
    DapHttp.requireContentType(response, origin.orElseThrow().mediaType());
    HpkeConfigList list;
    try {
      list = HpkeConfigList.decode(response.body());
    } catch (DecodeException e) {
      throw new DapProtocolException("GET " + u + ": malformed HPKE config list: " + e.getMessage(), e);
    }
    HpkeConfig chosen = select(list)
        .orElseThrow(() -> new DapProtocolException("GET " + u + ": the " + role.name().toLowerCase(Locale.ROOT)
            + " offers no HPKE config with a supported suite: " + list.configs()));
    long expires = expiry(response.headers().allValues("Cache-Control"), fetchedAt);
    Snapshot fresh = new Snapshot(chosen, expires);
    cached = fresh;
    return fresh;
  }

  /** The first config whose suite {@link Hpke} supports, in the aggregator's order of preference. */
  static Optional<HpkeConfig> select(HpkeConfigList list) {
    for (HpkeConfig c : list.configs()) {
      if (Hpke.isSupported(c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * When a response fetched at {@code nowMillis} goes stale (RFC 9111 section 5.2.2): {@code no-store} and
   * {@code no-cache} mean at once, {@code max-age=N} after N seconds; without either the config is kept until
   * an {@code outdatedConfig} answer.
   */
  static long expiry(List<String> cacheControl, long nowMillis) {
    long expires = Long.MAX_VALUE;
    for (String header : cacheControl) {
      for (String directive : header.split(",")) {
        String d = directive.strip().toLowerCase(Locale.ROOT);
        if (d.equals("no-store") || d.equals("no-cache")) {
          return nowMillis;
        }
        if (d.startsWith("max-age=")) {
          String v = d.substring("max-age=".length()).replace("\"", "");
          if (!v.isEmpty() && v.length() <= 12 && v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            expires = Math.min(expires, nowMillis + Long.parseLong(v) * 1000);
          }
        }
      }
    }
    return expires;
  }
}

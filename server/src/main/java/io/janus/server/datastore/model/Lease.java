package io.janus.server.datastore.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A time-limited claim on a job. Writes to the job are accepted only while the row still carries this lease's
 * expiry and token, so a worker whose lease was taken over cannot write.
 *
 * @param leased what was leased
 * @param expiry when the lease runs out
 * @param token the random token identifying this lease (16 bytes)
 * @param attempts how many times the job has been leased without being released cleanly, this lease included
 * @param <T> the type of the leased item
 */
public record Lease<T>(T leased, Instant expiry, byte[] token, long attempts) {
  /** Copies the token. */
  public Lease {
    if (token.length == 0) {
      throw new IllegalArgumentException("lease token must not be empty");
    }
    token = token.clone();
  }

  @Override
  public byte[] token() {
    return token.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Lease<?> l
        && l.leased.equals(leased)
        && l.expiry.equals(expiry)
        && Arrays.equals(l.token, token)
        && l.attempts == attempts;
  }

  @Override
  public int hashCode() {
    return leased.hashCode() * 31 + Arrays.hashCode(token);
  }

  @Override
  public String toString() {
    return "Lease[" + leased + ", expiry=" + expiry + ", token=" + HexFormat.of().formatHex(token) + ", attempts="
        + attempts + "]";
  }
}

package io.janus.aggregator;

/**
 * The largest request body each kind of DAP endpoint reads. A body is never read whole before its size is known
 * to fit: a {@code Content-Length} over the limit is refused before reading, and a chunked body is cut off at the
 * limit; either way the answer is 413 with a problem document and the connection is closed.
 *
 * @param uploadBytes a report upload (a report is a few KiB; large SumVec and Histogram tasks need more)
 * @param aggregationJobBytes an aggregation job initialization or continuation (every report of a job)
 * @param collectionBytes a collection job creation or an aggregate share request
 * @param bodyTimeout the longest a body may take to arrive in full: one trickled byte by byte is cut off (408)
 * @param helperQueue if set, the bound on the Helper's concurrent aggregation requests (429 beyond it)
 */
public record RequestLimits(long uploadBytes, long aggregationJobBytes, long collectionBytes,
    java.time.Duration bodyTimeout, java.util.Optional<HelperRequestQueue.Config> helperQueue) {
  /** 1 MiB uploads, 64 MiB aggregation jobs, 1 MiB collection and aggregate-share requests, 60 s per body. */
  public static final RequestLimits DEFAULT = new RequestLimits(1L << 20, 64L << 20, 1L << 20,
      java.time.Duration.ofSeconds(60));

  /** Limits with no Helper request queue. */
  public RequestLimits(long uploadBytes, long aggregationJobBytes, long collectionBytes,
      java.time.Duration bodyTimeout) {
    this(uploadBytes, aggregationJobBytes, collectionBytes, bodyTimeout, java.util.Optional.empty());
  }

  /** Validates that every limit is positive. */
  public RequestLimits {
    if (uploadBytes < 1 || aggregationJobBytes < 1 || collectionBytes < 1 || !bodyTimeout.isPositive()) {
      throw new IllegalArgumentException("request body limits must be positive: " + uploadBytes + ", "
          + aggregationJobBytes + ", " + collectionBytes);
    }
  }

  /** The largest of the limits: the listener refuses anything longer before routing. */
  public long largest() {
    return Math.max(uploadBytes, Math.max(aggregationJobBytes, collectionBytes));
  }
}

package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A finished collection job's result (draft-ietf-ppm-dap-09 section 4.5.1): {@code PartialBatchSelector
 * part_batch_selector; u64 report_count; Interval interval; HpkeCiphertext leader_encrypted_agg_share;
 * HpkeCiphertext helper_encrypted_agg_share}.
 *
 * @param partialBatchSelector the batch collected
 * @param reportCount number of reports aggregated (below 2^63)
 * @param interval the smallest interval containing the aggregated reports' timestamps
 * @param leaderEncryptedAggregateShare the Leader's sealed aggregate share
 * @param helperEncryptedAggregateShare the Helper's sealed aggregate share
 */
public record Collection(
    PartialBatchSelector partialBatchSelector,
    long reportCount,
    Interval interval,
    HpkeCiphertext leaderEncryptedAggregateShare,
    HpkeCiphertext helperEncryptedAggregateShare)
    implements Encodable {
  /** The response media type. */
  public static final String MEDIA_TYPE = Dap09.MEDIA_TYPE_COLLECTION;

  /** Rejects null components and a negative count. */
  public Collection {
    Objects.requireNonNull(partialBatchSelector, "partialBatchSelector");
    Wire.checkNonNegative(reportCount, "Collection.report_count");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(leaderEncryptedAggregateShare, "leaderEncryptedAggregateShare");
    Objects.requireNonNull(helperEncryptedAggregateShare, "helperEncryptedAggregateShare");
  }

  /** Reads a {@code Collection}. */
  public static Collection decode(WireReader r) {
    PartialBatchSelector selector = PartialBatchSelector.decode(r);
    long count = Wire.u64NonNegative(r, "Collection.report_count");
    Interval interval = Interval.decode(r);
    HpkeCiphertext leader = HpkeCiphertext.decode(r);
    HpkeCiphertext helper = HpkeCiphertext.decode(r);
    return new Collection(selector, count, interval, leader, helper);
  }

  /** Decodes a whole response body; trailing bytes are an error. */
  public static Collection decode(byte[] bytes) {
    return Wire.whole(bytes, "Collection", Collection::decode);
  }

  @Override
  public void encode(WireWriter w) {
    partialBatchSelector.encode(w);
    w.u64(reportCount);
    interval.encode(w);
    leaderEncryptedAggregateShare.encode(w);
    helperEncryptedAggregateShare.encode(w);
  }
}

package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Objects;

/**
 * A finished collection job (draft-ietf-ppm-dap-18 section 4.6.1): {@code uint64 report_count; Interval interval;
 * HpkeCiphertext leader_encrypted_agg_share; HpkeCiphertext helper_encrypted_agg_share}. Draft 18 dropped draft
 * 09's partial batch selector, and has no status field: a job still running answers GET with 2xx, an empty body and
 * {@code Retry-After} (section 3.1; see {@link Dap18#isNotReady}).
 *
 * @param reportCount the number of reports in the batch
 * @param interval the smallest interval holding every report's timestamp, in time-precision units
 * @param leaderEncryptedAggregateShare the Leader's aggregate share, sealed to the Collector
 * @param helperEncryptedAggregateShare the Helper's aggregate share, sealed to the Collector
 */
public record CollectionJobResp(
    long reportCount,
    Interval interval,
    HpkeCiphertext leaderEncryptedAggregateShare,
    HpkeCiphertext helperEncryptedAggregateShare)
    implements Encodable {
  /** The response media type. */
  public static final String MEDIA_TYPE = Dap18.MEDIA_TYPE_COLLECTION_JOB_RESP;

  /** Rejects null components and a negative count. */
  public CollectionJobResp {
    Wire.checkNonNegative(reportCount, "CollectionJobResp.report_count");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(leaderEncryptedAggregateShare, "leaderEncryptedAggregateShare");
    Objects.requireNonNull(helperEncryptedAggregateShare, "helperEncryptedAggregateShare");
  }

  /** Reads a {@code CollectionJobResp}. */
  public static CollectionJobResp decode(WireReader r) {
    long count = Wire.u64NonNegative(r, "CollectionJobResp.report_count");
    Interval interval = Interval.decode(r);
    HpkeCiphertext leader = HpkeCiphertext.decode(r);
    HpkeCiphertext helper = HpkeCiphertext.decode(r);
    return new CollectionJobResp(count, interval, leader, helper);
  }

  /** Decodes a whole response body. */
  public static CollectionJobResp decode(byte[] bytes) {
    return Wire.whole(bytes, "CollectionJobResp", CollectionJobResp::decode);
  }

  @Override
  public void encode(WireWriter w) {
    w.u64(reportCount);
    interval.encode(w);
    leaderEncryptedAggregateShare.encode(w);
    helperEncryptedAggregateShare.encode(w);
  }
}

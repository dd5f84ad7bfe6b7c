package io.janus.vdaf;

import io.janus.vdaf.internal.Circuit;
import io.janus.vdaf.internal.FlpGeneric;
import io.janus.vdaf.internal.VdafDraft08;
import io.janus.vdaf.internal.VdafDraft18;

/**
 * The VDAF wire versions a {@link Prio3} instance can speak, fixed when it is built. DAP-09 pairs with
 * {@link #DRAFT_08}; DAP-17 and DAP-18 pair with {@link #DRAFT_18} (drafts 18 to 20 of draft-irtf-cfrg-vdaf are
 * identical on the wire).
 *
 * <p>What differs, beyond the circuits: the version byte of every domain separation tag; the application context
 * appended to it (draft 18 only); the XofTurboShake128 framing and 32-byte seeds; a Helper's input share being one
 * seed for both its measurement and proof shares (two in draft 08); and the FLP sending gadget polynomials in the
 * Lagrange basis.
 */
public enum VdafVersion {
  /** draft-irtf-cfrg-vdaf-08. */
  DRAFT_08(VdafDraft08.VERSION, 2, 0),
  /** draft-irtf-cfrg-vdaf-18 (wire-identical through draft 20). */
  DRAFT_18(VdafDraft18.VERSION, 1, VdafDraft18.MAX_CONTEXT_LENGTH);

  private final int wireVersion;
  private final int helperSeeds;
  private final int maxContextLength;

  VdafVersion(int wireVersion, int helperSeeds, int maxContextLength) {
    this.wireVersion = wireVersion;
    this.helperSeeds = helperSeeds;
    this.maxContextLength = maxContextLength;
  }

  /** Returns the version byte carried in domain separation tags (8 or 18). */
  public int wireVersion() {
    return wireVersion;
  }

  /** Returns the longest application context this version accepts: 0 for draft 08, which has none. */
  public int maxContextLength() {
    return maxContextLength;
  }

  /** Returns how many seeds a Helper's input share holds besides its joint randomness blind. */
  int helperSeeds() {
    return helperSeeds;
  }

  /** Returns this version's FLP over {@code circuit}. */
  FlpGeneric flp(Circuit circuit) {
    return this == DRAFT_08 ? new FlpGeneric(circuit) : FlpGeneric.draft18(circuit);
  }

  /** Returns the domain separation tag of a Prio3 XOF usage, followed by the application context. */
  byte[] dst(int algorithmId, int usage, byte[] ctx) {
    return this == DRAFT_08
        ? VdafDraft08.dst(VdafDraft08.ALGORITHM_CLASS_VDAF, algorithmId, usage)
        : VdafDraft18.dst(VdafDraft08.ALGORITHM_CLASS_VDAF, algorithmId, usage, ctx);
  }
}

package io.janus.vdaf.internal;

/**
 * The constants of draft-irtf-cfrg-vdaf-18 (wire-identical through draft 20) that reach the wire: the document
 * version carried in every domain separation tag. The Prio3 XOF usages are unchanged from draft 08
 * ({@link VdafDraft08}); what changed is the version byte and that the DST is followed by the application context.
 */
public final class VdafDraft18 {
  /** The one-byte document version in domain separation tags. */
  public static final int VERSION = 18;
  /** Longest application context: the XOF frames DST and context together behind a 16-bit length. */
  public static final int MAX_CONTEXT_LENGTH = 0xffff - 8;

  private VdafDraft18() {}

  /** Formats a draft-18 domain separation tag followed by the application context {@code ctx} (section 6.2.3). */
  public static byte[] dst(int algorithmClass, int algorithmId, int usage, byte[] ctx) {
    byte[] head = Xof.formatDst(VERSION, algorithmClass, algorithmId, usage);
    byte[] out = new byte[head.length + ctx.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(ctx, 0, out, head.length, ctx.length);
    return out;
  }
}

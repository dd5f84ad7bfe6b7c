/**
 * Implementation guts of Prio3, not exported by the module: the fields and NTT, TurboSHAKE128 and the XOFs, the
 * generic FLP with its gadgets and circuits, and the wire constants of each VDAF draft ({@link
 * io.janus.vdaf.internal.VdafDraft08}, {@link io.janus.vdaf.internal.VdafDraft18}).
 */
package io.janus.vdaf.internal;

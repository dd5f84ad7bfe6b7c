/**
 * Prio3 (draft-irtf-cfrg-vdaf-08, and draft-irtf-cfrg-vdaf-18 through {@link io.janus.vdaf.Prio3Draft18}; see
 * {@link io.janus.vdaf.VdafVersion}) for DAP aggregators and clients: {@link io.janus.vdaf.Prio3} with its
 * ping-pong preparation, {@link io.janus.vdaf.OutputShare}, {@link io.janus.vdaf.AggregateShare} and the checked
 * {@link io.janus.vdaf.VdafException}. Everything crosses this API as encoded bytes or {@code long} values.
 */
package io.janus.vdaf;

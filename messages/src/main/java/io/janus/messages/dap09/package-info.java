/**
 * The draft-ietf-ppm-dap-09 wire messages and their codec, plus the taskprov encodings Janus release/0.7 deploys
 * with that draft.
 *
 * <p>Every message is an immutable record (or a sealed interface of records, for the {@code select} variants) with
 * a static {@code decode(WireReader)}, a static {@code decode(byte[])} that also rejects trailing bytes, and
 * {@code encode(WireWriter)}. Decoders throw only {@link io.janus.messages.DecodeException}, whose message names the
 * field and byte offset; they check every length prefix against the bytes left before allocating, reject unknown
 * {@code select} codes, and enforce the minimum lengths the draft states. The codec is canonical: whatever decodes
 * re-encodes to the same bytes. {@link io.janus.messages.dap09.Dap09} holds the draft's media types, HPKE info
 * labels, routes and code points.
 */
package io.janus.messages.dap09;

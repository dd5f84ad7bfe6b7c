/**
 * The draft-ietf-ppm-dap-18 wire messages and their codec.
 *
 * <p>Every message is an immutable record (or a sealed interface of records, for the {@code select} variants) with
 * a static {@code decode(WireReader)}, a static {@code decode(byte[])} that also rejects trailing bytes, and
 * {@code encode(WireWriter)}. Decoders throw only {@link io.janus.messages.DecodeException}, whose message names the
 * field and byte offset; they check every length prefix against the bytes left before allocating, reject unknown
 * {@code select} codes and batch modes, and enforce the minimum lengths the draft states. The codec is canonical:
 * whatever decodes re-encodes to the same bytes.
 *
 * <p>Three draft-18 habits shape the records. Several bodies end in a sequence with no length prefix that runs to
 * the end of the HTTP message ({@link io.janus.messages.dap18.UploadRequest}, {@link
 * io.janus.messages.dap18.AggregationJobResp}, ...), so their {@code decode(WireReader)} consumes the whole reader.
 * {@code Time} and {@code Duration} count the task's time precision, not seconds ({@link
 * io.janus.messages.dap18.Interval}). And extension lists decode in the order sent; callers check the order the
 * draft requires ({@link io.janus.messages.dap18.TypedExtension#inStrictlyIncreasingOrder}).
 * {@link io.janus.messages.dap18.Dap18} holds the draft's media types, HPKE info labels, routes and code points.
 */
package io.janus.messages.dap18;

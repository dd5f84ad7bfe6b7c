/** DAP wire messages: version-neutral value types in {@code io.janus.messages}, one package per draft. */
module io.janus.messages {
  exports io.janus.messages;
  exports io.janus.messages.dap09;
  exports io.janus.messages.dap18;
}

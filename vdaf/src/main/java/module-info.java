/** Pure-Java Prio3 (draft-irtf-cfrg-vdaf-08): the public surface is {@code io.janus.vdaf}. */
module io.janus.vdaf {
  exports io.janus.vdaf;
}

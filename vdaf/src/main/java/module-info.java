/** Pure-Java Prio3 (draft-irtf-cfrg-vdaf-08 and -18): the public surface is {@code io.janus.vdaf}. */
module io.janus.vdaf {
  exports io.janus.vdaf;
}

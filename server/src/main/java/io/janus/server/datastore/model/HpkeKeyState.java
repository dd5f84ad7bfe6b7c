package io.janus.server.datastore.model;

/** The life-cycle state of a global HPKE key. */
public enum HpkeKeyState implements DbEnum {
  /** Advertised to no one yet, so every aggregator's cache learns it before use. */
  PENDING("PENDING"),
  /** Advertised to clients. */
  ACTIVE("ACTIVE"),
  /** No longer advertised, still accepted for decryption. */
  EXPIRED("EXPIRED");

  private final String dbText;

  HpkeKeyState(String dbText) {
    this.dbText = dbText;
  }

  @Override
  public String dbText() {
    return dbText;
  }
}

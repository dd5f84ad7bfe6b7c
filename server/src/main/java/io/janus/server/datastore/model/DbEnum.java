package io.janus.server.datastore.model;

/** A state enum stored as explicit text in a database column (never by ordinal). */
public interface DbEnum {
  /** The text stored in the database for this value. */
  String dbText();

  /**
   * Finds the constant of {@code type} whose {@link #dbText()} is {@code text}.
   *
   * @throws IllegalStateException if no constant matches (the database holds a value this build does not know)
   */
  static <E extends Enum<E> & DbEnum> E fromDbText(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.dbText().equals(text)) {
        return e;
      }
    }
    throw new IllegalStateException("unknown " + type.getSimpleName() + " in database: " + text);
  }
}

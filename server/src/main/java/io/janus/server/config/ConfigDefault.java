package io.janus.server.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a configuration record component takes when its key is absent or null, written as YAML text (for
 * example {@code "60"}, {@code "true"}, {@code "127.0.0.1:9001"}). It is bound exactly like a value from the file,
 * so it passes the same conversion and validation.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface ConfigDefault {
  /** The default, as a YAML scalar. */
  String value();
}

package io.janus.server.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keys a configuration record accepts without effect, each as {@code "key: why"}: keys of Janus 0.7's
 * configuration that mean nothing here (Tokio settings, thread stack sizes, work Janus does in-process that a
 * separate binary does here). An operator's Janus file then loads, and the loader warns once per key, naming it and
 * why it is ignored, instead of refusing the file.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConfigIgnoredKeys {
  /** The ignored keys, each {@code "key: why it has no effect"}. */
  String[] value();
}

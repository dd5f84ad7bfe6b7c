package io.janus.server.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record-typed component whose keys sit at the same level as its parent's, not under a key of its own.
 * Binary configs use it to embed {@link CommonConfig}: {@code database} and {@code listen_address} are siblings in
 * the file, as in Janus.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface ConfigFlatten {}

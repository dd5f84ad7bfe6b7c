package io.janus.server.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The YAML key of a configuration record component, when it is not the snake_case form of the component name
 * (which the loader derives by default: {@code connectionPoolTimeoutsS} reads {@code connection_pool_timeouts_s}),
 * or when it has aliases.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface ConfigKey {
  /** The key as written in the YAML file. */
  String value();

  /** Other names the key may be written with (such as Janus 0.7's older spelling); at most one may be given. */
  String[] aliases() default {};
}

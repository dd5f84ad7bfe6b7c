/**
 * The version-neutral task model: {@link io.janus.core.task.Task}, its {@link io.janus.core.task.QueryType} and
 * {@link io.janus.core.task.VdafInstance}.
 */
package io.janus.core.task;

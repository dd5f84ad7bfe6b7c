/**
 * The datastore: the only code that talks to PostgreSQL.
 *
 * <p>{@link io.janus.server.datastore.Datastore#run} runs a named REPEATABLE READ transaction and retries it on
 * serialization failures and deadlocks; the body reaches one {@code *Table} class per table through
 * {@link io.janus.server.datastore.Tx}. Each table class holds its SQL as text blocks that name themselves
 * ({@code -- ClassName.method}) for logs and pg_stat_statements. Secret columns are encrypted by
 * {@link io.janus.server.datastore.Crypter}. {@link io.janus.server.datastore.Migrations} applies the Flyway migrations
 * in {@code db/migrations}, and {@link io.janus.server.datastore.SchemaVersion} checks them at start-up.
 *
 * <p>Jobs are handed out by lease ({@code FOR UPDATE SKIP LOCKED}, expiry, random token); every write through a
 * lease is refused with {@link io.janus.server.datastore.LeaseLostException} once another worker holds the job.
 */
package io.janus.server.datastore;

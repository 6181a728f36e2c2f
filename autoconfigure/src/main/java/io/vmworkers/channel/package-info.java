/**
 * Shared-memory rings between a master and a worker JVM, and the {@link io.vmworkers.channel.WorkerChannel} API.
 */
package io.vmworkers.channel;

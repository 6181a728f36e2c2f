/**
 * The worker's runtime: the main class of a worker JVM, the runtime that serves calls and data on
 * its channel, and the configuration of a task context.
 */
package io.vmworkers.dispatch.worker;

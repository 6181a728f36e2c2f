/**
 * The TCP transport: a worker's channel over one connection that the worker dials, authenticated
 * with a per-launch secret, carrying the rings' records.
 */
package io.vmworkers.channel.tcp;

/**
 * The master's runtime: the dispatcher, each worker's pool of replicas, call routing, supervision
 * and restarts, and the launch of worker processes.
 */
package io.vmworkers.dispatch.master;

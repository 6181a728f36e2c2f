/**
 * Workers as Kubernetes pods ({@code vmworkers.workers.<name>.placement=kubernetes}): a bare pod
 * per worker process, created, watched and deleted by the master, connected back over TCP.
 */
package io.vmworkers.kubernetes;

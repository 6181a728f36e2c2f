/**
 * In-process mode ({@code vmworkers.mode=in-process}): each worker runs on threads of the master's
 * JVM, in a child context of the master's, behind the same channel, codec and supervision as a
 * worker process.
 */
package io.vmworkers.dispatch.inprocess;

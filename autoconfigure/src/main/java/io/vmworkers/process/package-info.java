/**
 * Worker JVM processes: the command line, the launch, output capture, parent watching, process
 * identity (pid and kernel start ticks) and reaping.
 */
package io.vmworkers.process;

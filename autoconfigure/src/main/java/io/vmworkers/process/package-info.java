/**
 * Worker JVM processes: the command line, the launch, output capture, parent watching and reaping.
 */
package io.vmworkers.process;

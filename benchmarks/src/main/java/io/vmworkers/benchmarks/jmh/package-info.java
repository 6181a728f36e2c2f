/**
 * JMH benchmarks of the hot pieces in isolation (ring write and read, Kryo round trips), so that a
 * regression shows up without the noise of two processes. See benchmarks/README.md.
 */
package io.vmworkers.benchmarks.jmh;

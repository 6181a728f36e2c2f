package io.vmworkers.it.hardening;

/**
 * One object of a stream the worker sends to the master.
 * @param index its place in the stream
 */
public record Tick(int index) {

}

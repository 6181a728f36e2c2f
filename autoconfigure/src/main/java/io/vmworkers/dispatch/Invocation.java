package io.vmworkers.dispatch;

/**
 * The payload of a CALL frame: which routable method (by its index in {@link TaskMethods}) and the
 * arguments.
 * @param method the method's index
 * @param arguments the arguments, never null
 */
record Invocation(int method, Object[] arguments) {

}

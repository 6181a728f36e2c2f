package io.vmworkers.dispatch.master;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A call sent to a worker and not yet answered: either a thread waiting for the answer, which it
 * may read itself, or a future for an asynchronous call.
 */
final class PendingCall {

	private final Thread waiter;

	private final CompletableFuture<Object> future;

	private volatile boolean done;

	private Object value;

	private Throwable failure;

	private PendingCall(Thread waiter, CompletableFuture<Object> future) {
		this.waiter = waiter;
		this.future = future;
	}

	static PendingCall waitedBy(Thread waiter) {
		return new PendingCall(waiter, null);
	}

	static PendingCall async() {
		return new PendingCall(null, new CompletableFuture<>());
	}

	CompletableFuture<Object> future() {
		return this.future;
	}

	boolean isDone() {
		return this.done;
	}

	/**
	 * Returns the answer of a completed synchronous call.
	 * @return the value
	 * @throws Throwable the failure
	 */
	Object result() throws Throwable {
		if (this.failure != null) {
			throw this.failure;
		}
		return this.value;
	}

	boolean complete(Object value) {
		if (this.future != null) {
			return this.future.complete(value);
		}
		return finish(value, null);
	}

	boolean fail(Throwable failure) {
		if (this.future != null) {
			return this.future.completeExceptionally(failure);
		}
		return finish(null, failure);
	}

	private synchronized boolean finish(Object value, Throwable failure) {
		if (this.done) {
			return false;
		}
		this.value = value;
		this.failure = failure;
		// The volatile write publishes value and failure to the waiter, which reads done first.
		this.done = true;
		if (this.waiter != Thread.currentThread()) {
			LockSupport.unpark(this.waiter);
		}
		return true;
	}

}

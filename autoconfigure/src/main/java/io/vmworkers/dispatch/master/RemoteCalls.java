package io.vmworkers.dispatch.master;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.vmworkers.annotation.Idempotent;
import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.dispatch.WorkerCallTimeoutException;
import io.vmworkers.dispatch.WorkerDiedException;
import io.vmworkers.dispatch.WorkerObserver;
import io.vmworkers.protocol.Frames;
import io.vmworkers.protocol.Invocation;
import io.vmworkers.protocol.Link;
import io.vmworkers.protocol.TaskMethods;
import io.vmworkers.protocol.Tracing;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Sends a task's method calls to the processes of its pool and waits for their answers. A
 * synchronous caller reads its answer from the ring itself when no other thread is reading, so
 * that a call costs no thread hand-off; a method returning {@link CompletableFuture} gets a future.
 */
final class RemoteCalls {

	private static final Log logger = LogFactory.getLog(RemoteCalls.class);

	private final WorkerPool pool;

	RemoteCalls(WorkerPool pool) {
		this.pool = pool;
	}

	/**
	 * Sends a call and returns its result, or, for a method returning {@link CompletableFuture},
	 * a future of it. A call to an {@link Idempotent} method whose process dies before answering
	 * is sent once more, to a live replica or the restarted one.
	 */
	Object invoke(Method method, int index, Object[] arguments) throws Throwable {
		Tracing.Span span = this.pool.tracing().startCall(this.pool.name(), method.getName());
		if (span == null) {
			return invokeAgainIfIdempotent(method, index, arguments, null);
		}
		Object result;
		try {
			result = invokeAgainIfIdempotent(method, index, arguments, span.context());
		}
		catch (Throwable ex) {
			span.failed(ex);
			span.end();
			throw ex;
		}
		if (result instanceof CompletableFuture<?> future && !future.isDone()) {
			// The span is current only while the caller's thread is here; it ends with the answer.
			span.leave();
			future.whenComplete((value, failure) -> {
				if (failure != null) {
					span.failed(failure);
				}
				span.end();
			});
		}
		else {
			span.end();
		}
		return result;
	}

	private Object invokeAgainIfIdempotent(Method method, int index, Object[] arguments, Map<String, String> trace)
			throws Throwable {
		try {
			return invokeOnce(method, index, arguments, trace);
		}
		catch (WorkerDiedException ex) {
			if (!AnnotatedElementUtils.hasAnnotation(method, Idempotent.class)) {
				throw ex;
			}
			logger.info("Sending idempotent " + method.getName() + " of worker '" + this.pool.name()
					+ "' again after its process died");
			return invokeOnce(method, index, arguments, trace);
		}
	}

	private Object invokeOnce(Method method, int index, Object[] arguments, Map<String, String> trace)
			throws Throwable {
		boolean async = TaskMethods.isAsync(method);
		PendingCall call;
		ProcessConnection target;
		long id;
		Link link;
		while (true) {
			target = this.pool.route(index, arguments);
			call = async ? PendingCall.async() : PendingCall.waitedBy(Thread.currentThread());
			id = target.register(call);
			// Registered first, then checked: a drain that retires the process after this check
			// sees the call and waits for it; one before it sends the call elsewhere.
			if (target.isRetired() || target.exited()) {
				target.forget(id);
				continue;
			}
			link = target.link();
			if (!async) {
				link.enterWaiter();
			}
			try {
				link.send(Frames.CALL, id, new Invocation(index, arguments, trace));
				break;
			}
			catch (ChannelClosedException ex) {
				// Its process went between the check and the send: the call was not sent, so it goes
				// to another process (the exit may have failed it already: a new call replaces it).
				target.forget(id);
				exitWaiter(link, async);
			}
			catch (RuntimeException ex) {
				if (target.forget(id)) {
					target.owner().callFailed();
				}
				exitWaiter(link, async);
				throw ex;
			}
		}
		// The call's time, and its timeout, start once it has a process: not while one starts.
		long start = System.nanoTime();
		try {
			if (async) {
				CompletableFuture<Object> result = withTimeout(call.future(), target, id, method);
				if (!this.pool.observers().isEmpty()) {
					result.whenComplete((value, failure) -> observe(method, start, failure != null));
				}
				return result;
			}
			boolean failed = true;
			try {
				awaitAnswer(call, target, id, method, start);
				Object result = call.result();
				failed = false;
				return result;
			}
			catch (Throwable ex) {
				throw rethrowable(ex, method);
			}
			finally {
				if (!this.pool.observers().isEmpty()) {
					observe(method, start, failed);
				}
			}
		}
		finally {
			exitWaiter(link, async);
		}
	}

	private static void exitWaiter(Link link, boolean async) {
		if (!async) {
			link.exitWaiter();
		}
	}

	private void observe(Method method, long start, boolean failed) {
		long nanos = System.nanoTime() - start;
		for (WorkerObserver observer : this.pool.observers()) {
			observer.callCompleted(this.pool.name(), method.getName(), nanos, failed);
		}
	}

	private void awaitAnswer(PendingCall call, ProcessConnection target, long id, Method method, long start) {
		Link link = target.link();
		Duration timeout = this.pool.settings().callTimeout();
		long deadline = (timeout.isZero() || timeout.isNegative()) ? Long.MAX_VALUE : start + timeout.toNanos();
		while (true) {
			switch (link.readUntil(call::isDone, deadline, call)) {
				case DONE -> {
					return;
				}
				case TIMED_OUT -> {
					if (target.forget(id)) {
						target.owner().callFailed();
						throw new WorkerCallTimeoutException("call to " + method.getName() + " on worker '"
								+ this.pool.name() + "' timed out after " + timeout
								+ " (vmworkers.call-timeout); the call may have executed");
					}
					// Answered meanwhile: it is being completed.
					LockSupport.parkNanos(call, Link.READ_SLICE_NANOS);
				}
				case INTERRUPTED -> {
					target.forget(id);
					target.owner().callFailed();
					throw new WorkerCallTimeoutException("interrupted while waiting for " + method.getName()
							+ " on worker '" + this.pool.name() + "'; the call may have executed");
				}
				// The process is gone: its exit fails the call, if that has not happened already.
				case CLOSED -> {
					if (System.nanoTime() - deadline >= 0 && target.forget(id)) {
						target.owner().callFailed();
						throw new WorkerCallTimeoutException("call to " + method.getName() + " on worker '"
								+ this.pool.name() + "' timed out after " + timeout
								+ " (vmworkers.call-timeout); the call may have executed");
					}
					LockSupport.parkNanos(call, Link.READ_SLICE_NANOS);
				}
			}
		}
	}

	private CompletableFuture<Object> withTimeout(CompletableFuture<Object> reply, ProcessConnection target, long id,
			Method method) {
		Duration timeout = this.pool.settings().callTimeout();
		if (timeout.isZero() || timeout.isNegative()) {
			return reply;
		}
		CompletableFuture<Object> result = new CompletableFuture<>();
		reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((value, failure) -> {
			if (failure instanceof TimeoutException) {
				target.forget(id);
				target.owner().callFailed();
				result.completeExceptionally(new WorkerCallTimeoutException("call to " + method.getName()
						+ " on worker '" + this.pool.name() + "' timed out after " + timeout + " (vmworkers.call-timeout)"));
			}
			else if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(value);
			}
		});
		return result;
	}

	private static Throwable rethrowable(Throwable failure, Method method) {
		if (failure instanceof RuntimeException || failure instanceof Error) {
			return failure;
		}
		for (Class<?> declared : method.getExceptionTypes()) {
			if (declared.isInstance(failure)) {
				return failure;
			}
		}
		return new UndeclaredThrowableException(failure, "worker method " + method.getName() + " threw " + failure);
	}

}

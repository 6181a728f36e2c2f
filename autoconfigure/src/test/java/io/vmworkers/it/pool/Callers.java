package io.vmworkers.it.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Threads that call a worker in a loop until closed, and what they saw: the pids that answered,
 * the calls that failed, and the longest call.
 */
final class Callers implements AutoCloseable {

	/**
	 * The longest a call may take. Generous on purpose: the machine is shared and noisy; how long
	 * failover and recycling take is measured by the benchmarks, not asserted here.
	 */
	static final Duration LONGEST_CALL_LIMIT = Duration.ofSeconds(5);

	private final String name;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> threads = new ArrayList<>();

	private final Set<Long> pids = ConcurrentHashMap.newKeySet();

	private final AtomicLong succeeded = new AtomicLong();

	private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();

	private final AtomicLong longestNanos = new AtomicLong();

	private final List<Window> windows = new CopyOnWriteArrayList<>();

	private Callers(String name) {
		this.name = name;
	}

	/**
	 * Starts threads that make the same call in a loop.
	 * @param name what the callers are for, in their threads' names and the printed figures
	 * @param count how many threads
	 * @param call the call, which returns the pid that answered
	 * @return the running callers
	 */
	static Callers start(String name, int count, LongSupplier call) {
		Callers callers = new Callers(name);
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(() -> callers.loop(call), name + "-" + i);
			thread.setDaemon(true);
			callers.threads.add(thread);
		}
		callers.threads.forEach(Thread::start);
		return callers;
	}

	private void loop(LongSupplier call) {
		while (this.running.get()) {
			long start = System.nanoTime();
			try {
				long pid = call.getAsLong();
				this.pids.add(pid);
				this.succeeded.incrementAndGet();
				for (Window window : this.windows) {
					window.pids.add(pid);
					window.succeeded.incrementAndGet();
				}
			}
			catch (Throwable ex) {
				this.failures.add(new Failure(ex, start));
			}
			finally {
				this.longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
			}
		}
	}

	/**
	 * Returns the pids that answered a call so far.
	 * @return a copy
	 */
	Set<Long> pids() {
		return Set.copyOf(this.pids);
	}

	long succeeded() {
		return this.succeeded.get();
	}

	List<Failure> failures() {
		return List.copyOf(this.failures);
	}

	Duration longestCall() {
		return Duration.ofNanos(this.longestNanos.get());
	}

	/**
	 * Starts counting the calls that succeed from now on, until the window is closed.
	 * @return the open window
	 */
	Window window() {
		Window window = new Window();
		this.windows.add(window);
		return window;
	}

	/**
	 * Stops the threads once their current call ends, and prints what they saw. Fails when a
	 * caller is still in its call 30 s later.
	 */
	@Override
	public void close() throws InterruptedException {
		if (!this.running.getAndSet(false)) {
			return;
		}
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
			if (thread.isAlive()) {
				AssertionError error = new AssertionError(
						thread.getName() + " is still in its call 30 s after being stopped");
				error.setStackTrace(thread.getStackTrace());
				throw error;
			}
		}
		System.out.printf("%s: %d calls answered by %d processes, %d failed, longest call %d ms%n", this.name,
				succeeded(), this.pids.size(), this.failures.size(), longestCall().toMillis());
	}

	/**
	 * A call that failed.
	 * @param exception what it threw
	 * @param startedNanos when it was made, on {@link System#nanoTime()}
	 */
	record Failure(Throwable exception, long startedNanos) {

	}

	/**
	 * The calls that succeeded while it was open.
	 */
	final class Window implements AutoCloseable {

		private final Set<Long> pids = ConcurrentHashMap.newKeySet();

		private final AtomicLong succeeded = new AtomicLong();

		Set<Long> pids() {
			return Set.copyOf(this.pids);
		}

		long succeeded() {
			return this.succeeded.get();
		}

		@Override
		public void close() {
			Callers.this.windows.remove(this);
		}

	}

}

package io.vmworkers.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Calls one worker in a loop, in turn a synchronous call, an {@code @Idempotent} one and a batch of
 * asynchronous ones (several in flight at once), and checks every answer.
 */
final class Caller extends SoakThread {

	private static final int ASYNC_BATCH = 4;

	private final SoakTask task;

	private final CallTally tally;

	Caller(String worker, int index, SoakTask task, CallTally tally) {
		super("soak-caller-" + worker + "-" + index, worker);
		this.task = task;
		this.tally = tally;
	}

	@Override
	public void run() {
		for (int i = 0; running(); i++) {
			int value = i;
			switch (i % 3) {
				case 0 -> call("inc", value, () -> this.task.inc(value));
				case 1 -> call("incIdempotent", value, () -> this.task.incIdempotent(value));
				default -> callAsync(value);
			}
		}
	}

	private void call(String method, int value, IntCall call) {
		long start = System.nanoTime();
		try {
			int answer = call.invoke();
			if (answer == value + 1) {
				this.tally.answered(false);
			}
			else {
				this.tally.wrongAnswer(worker(), method + "(" + value + ")", answer);
			}
		}
		catch (RuntimeException ex) {
			this.tally.failed(worker(), method + "(" + value + ")", start, ex);
			pauseAfterFailure();
		}
		progressed();
	}

	private void callAsync(int value) {
		long start = System.nanoTime();
		List<CompletableFuture<Integer>> futures = new ArrayList<>();
		try {
			for (int k = 0; k < ASYNC_BATCH; k++) {
				futures.add(this.task.incLater(value + k));
			}
		}
		catch (RuntimeException ex) {
			// The call itself failed (no worker to send it to): the batch ends here.
			this.tally.failed(worker(), "incLater(" + value + ")", start, ex);
			pauseAfterFailure();
		}
		for (int k = 0; k < futures.size(); k++) {
			try {
				int answer = futures.get(k).get();
				if (answer == value + k + 1) {
					this.tally.answered(true);
				}
				else {
					this.tally.wrongAnswer(worker(), "incLater(" + (value + k) + ")", answer);
				}
			}
			catch (ExecutionException ex) {
				this.tally.failed(worker(), "incLater(" + (value + k) + ")", start, ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			progressed();
		}
	}

	@FunctionalInterface
	private interface IntCall {

		int invoke();

	}

}

package io.vmworkers.sample;

import java.time.Duration;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Counts with the master: the worker adds one to each number it receives and sends it back.
 * Even numbers are printed by the worker, odd ones by the master, the first {@value #PRINTED} of each.
 * It also counts primes, a CPU-bound batch that the master spreads over its two replicas
 * ({@code vmworkers.workers.countingTask.replicas=2}).
 */
@WorkerTask
public class CountingTask {

	static final int PRINTED = 10;

	private static final Log logger = LogFactory.getLog(CountingTask.class);

	private final WorkerChannel channel;

	CountingTask(WorkerChannel channel) {
		this.channel = channel;
	}

	/**
	 * Runs on the worker for each number the master puts.
	 * @param n the number
	 */
	@OnData
	void processData(Integer n) {
		if (n < 2 * PRINTED) {
			System.out.println("worker " + ProcessHandle.current().pid() + " got " + n);
		}
		this.channel.put(n + 1);
	}

	/**
	 * Runs on the worker: says hello there and returns its pid.
	 * @return the worker's pid
	 */
	public long greet() {
		long pid = ProcessHandle.current().pid();
		logger.info("Hello from the worker, pid " + pid);
		return pid;
	}

	/**
	 * Runs on the master: counts to {@code rounds} with the worker, one round trip per number.
	 * @param rounds how many round trips
	 * @return the last number received
	 */
	@OnMaster
	public int run(int rounds) {
		this.channel.put(0);
		int value = 0;
		for (int i = 0; i < rounds; i++) {
			value = this.channel.next();
			if (value < 2 * PRINTED) {
				System.out.println("master " + ProcessHandle.current().pid() + " got " + value);
			}
			this.channel.put(value + 1);
		}
		// The last put's answer is not needed: drain it so the channel is left empty.
		this.channel.next();
		return value;
	}

	/**
	 * Runs on the master: a batch of round trips from {@code start}, as the traffic that keeps the
	 * dashboard moving. Unlike {@link #run(int)} it gives up when the worker does not answer in
	 * time, as while it restarts.
	 * @param start the first number, at least {@code 2 * PRINTED} so that nothing is printed
	 * @param rounds how many round trips
	 * @param timeout how long to wait for each answer
	 * @return the last number received, or -1 when the worker did not answer in time
	 */
	@OnMaster
	public int exchange(int start, int rounds, Duration timeout) {
		// Answers left by a batch that gave up would be taken for this batch's.
		while (this.channel.poll() != null) {
			// drop it
		}
		int value = start;
		this.channel.put(value);
		for (int i = 0; i < rounds; i++) {
			Integer answer = this.channel.next(timeout);
			if (answer == null) {
				return -1;
			}
			value = answer;
			if (i + 1 < rounds) {
				this.channel.put(value + 1);
			}
		}
		return value;
	}

	/**
	 * Runs on the worker: counts the primes in a range, by trial division (on purpose slow).
	 * @param range the range
	 * @return the count, with the pid of the worker that counted
	 */
	public PrimeCount countPrimes(PrimeCount.Range range) {
		long primes = 0;
		for (long n = Math.max(2, range.from()); n < range.to(); n++) {
			boolean prime = true;
			for (long d = 2; d * d <= n; d++) {
				if (n % d == 0) {
					prime = false;
					break;
				}
			}
			if (prime) {
				primes++;
			}
		}
		return new PrimeCount(range, primes, ProcessHandle.current().pid());
	}

	/**
	 * Runs on the worker: adds numbers up (a call with a payload of some size, for the
	 * dashboard's call latency and bytes).
	 * @param numbers the numbers
	 * @return their sum
	 */
	public long sum(int[] numbers) {
		long sum = 0;
		for (int number : numbers) {
			sum += number;
		}
		return sum;
	}

}

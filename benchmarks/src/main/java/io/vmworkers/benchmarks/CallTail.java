package io.vmworkers.benchmarks;

import java.util.Arrays;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The tail of the call round trip in detail: three rounds of 500,000 {@code int inc(int)} calls
 * after a warm-up, each printing percentiles and how many calls took over 5 us; then 200 calls
 * each after 10 ms of silence, with their median and p90. Run it plain, and
 * with the master and the worker on CPUs of their own, to compare:
 * <pre>
 * java -Xmx512m -cp benchmarks/target/vmworkers-benchmarks.jar io.vmworkers.benchmarks.CallTail
 * taskset -c 0 java -Xmx512m -Dvmworkers.workers.echoTask.cpus=1 -cp benchmarks/target/vmworkers-benchmarks.jar io.vmworkers.benchmarks.CallTail
 * </pre>
 */
public final class CallTail {

	private static final int CALLS = 500_000;

	private static final long SLOW_NANOS = 5_000;

	/** Then calls after a silence each, as in the idle cases: the worker's reader asleep. */
	private static final int WAKES = 200;

	private static final long SILENCE_MILLIS = 10;

	private CallTail() {
	}

	public static void main(String[] args) throws InterruptedException {
		try (ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS)) {
			EchoTask echo = context.getBean(EchoTask.class);
			for (int i = 0; i < 300_000; i++) {
				echo.inc(i);
			}
			for (int round = 0; round < 3; round++) {
				long[] times = new long[CALLS];
				for (int i = 0; i < times.length; i++) {
					long start = System.nanoTime();
					if (echo.inc(i) != i + 1) {
						throw new IllegalStateException("wrong answer");
					}
					times[i] = System.nanoTime() - start;
				}
				long slow = Arrays.stream(times).filter((time) -> time > SLOW_NANOS).count();
				Arrays.sort(times);
				StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
				for (double quantile : new double[] { 0.5, 0.9, 0.99, 0.995, 0.999 }) {
					line.append(Units.format(" p%s %.1f us", Units.format("%.1f", quantile * 100).replace(".0", ""),
							times[(int) (quantile * times.length)] / 1000.0));
				}
				System.out.println(line + ", over 5 us: " + slow + " of " + CALLS);
			}
			long[] wakes = new long[WAKES];
			for (int i = 0; i < wakes.length; i++) {
				Thread.sleep(SILENCE_MILLIS);
				long start = System.nanoTime();
				if (echo.inc(41) != 42) {
					throw new IllegalStateException("wrong answer");
				}
				wakes[i] = System.nanoTime() - start;
			}
			Arrays.sort(wakes);
			System.out.println(Units.format("after %d ms of silence: p50 %.1f us p90 %.1f us", SILENCE_MILLIS,
					wakes[wakes.length / 2] / 1000.0, wakes[wakes.length * 9 / 10] / 1000.0));
		}
	}

}

package io.vmworkers.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The tail of the call round trip in detail: three rounds of 500,000 {@code int inc(int)} calls
 * after a warm-up, each printing percentiles and how many calls took over 5 us; then 200 calls
 * each after 10 ms of silence, with their median and p90 (with the argument {@code raw-ring},
 * interleaved with as many round trips of the raw ring after the same silence). Run it plain, and
 * with the master and the worker on CPUs of their own, to compare:
 * <pre>
 * java -Xmx512m -cp benchmarks/target/vmworkers-benchmarks.jar io.vmworkers.benchmarks.CallTail raw-ring
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

	public static void main(String[] args) throws Exception {
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
			wakes(echo, Arrays.asList(args).contains("raw-ring"));
		}
	}

	/**
	 * Calls after a silence each; with the argument {@code raw-ring}, interleaved with the raw
	 * ring's round trips after the same silence (its echo, a JVM of its own, asleep on a futex), so
	 * that the two compare within this run. The echo inherits this JVM's CPUs: leave it out when
	 * the master runs under {@code taskset}.
	 */
	private static void wakes(EchoTask echo, boolean withRawRing) throws Exception {
		long[] calls = new long[WAKES];
		long[] rings = new long[WAKES];
		try (RawRingPeer ring = withRawRing ? RawRingPeer.start(Path.of("/dev/shm")) : null) {
			for (int i = 0; ring != null && i < 1000; i++) {
				ring.echo(i);
			}
			for (int i = 0; i < WAKES; i++) {
				calls[i] = RoundTrip.afterSilence(echo::inc, SILENCE_MILLIS);
				if (ring != null) {
					rings[i] = RoundTrip.afterSilence(ring::echo, SILENCE_MILLIS);
				}
			}
		}
		System.out.println(Units.format("after %d ms of silence: p50 %.1f us p90 %.1f us", SILENCE_MILLIS,
				quantile(calls, 0.5), quantile(calls, 0.9)));
		if (withRawRing) {
			System.out.println(Units.format("raw ring, the same silence: p50 %.1f us p90 %.1f us", quantile(rings, 0.5),
					quantile(rings, 0.9)));
		}
	}

	/** In microseconds; sorts the times. */
	private static double quantile(long[] times, double quantile) {
		Arrays.sort(times);
		return times[(int) (quantile * times.length)] / 1000.0;
	}

}

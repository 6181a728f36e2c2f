package io.vmworkers.benchmarks;

import java.util.Arrays;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The tail of the call round trip in detail: three rounds of 500,000 {@code int inc(int)} calls
 * after a warm-up, each printing percentiles and how many calls took over 5 us. Run it plain, and
 * with the master and the worker on CPUs of their own, to compare:
 * <pre>
 * java -Xmx512m -cp benchmarks/target/vmworkers-benchmarks.jar io.vmworkers.benchmarks.CallTail
 * taskset -c 0 java -Xmx512m -Dvmworkers.workers.echoTask.cpus=1 -cp benchmarks/target/vmworkers-benchmarks.jar io.vmworkers.benchmarks.CallTail
 * </pre>
 */
public final class CallTail {

	private static final int CALLS = 500_000;

	private static final long SLOW_NANOS = 5_000;

	private CallTail() {
	}

	public static void main(String[] args) {
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
		}
	}

}

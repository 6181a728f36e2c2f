package io.vmworkers.benchmarks;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the suite starts as master, once per group of cases; its workers run it too.
 * Each group activates one profile, so that a context starts only the workers its cases use.
 */
@SpringBootApplication
public class BenchmarkApplication {

	/** Profile of {@link EchoTask}: calls, ping-pong, streams, idle, start. */
	static final String CALLS = "calls";

	/** Profile of the two {@link CrunchTask}s. */
	static final String PARALLEL = "parallel";

	/** Profile of {@link FrameSinkTask}: the 64 KiB stream read through a ByteBuffer. */
	static final String FRAMES = "frames";

	/** Profile of {@link GarbageTask}. */
	static final String GARBAGE = "garbage";

	/** Profile of the pools of the CPU-bound batch and of the routing overhead ({@link PoolTask}). */
	static final String POOLS = "pools";

	/** Profile of the pools of the failover case ({@link PoolTask}). */
	static final String FAILOVER = "failover";

}

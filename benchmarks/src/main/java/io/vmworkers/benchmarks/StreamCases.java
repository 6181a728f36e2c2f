package io.vmworkers.benchmarks;

import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.VmDispatcher;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One-way streams: {@code put(Integer)} and {@code put(byte[65536])} to a worker that counts them,
 * interleaved with the raw ring streaming 4-byte and 64 KiB records to a counting child. The
 * 64 KiB blocks go to two workers: one reads each through a ByteBuffer view, one takes the array.
 */
final class StreamCases {

	static final String CHART = "Stream one way, % of the raw ring";

	private static final int BLOCK = 64 * 1024;

	/**
	 * Raw ring rates below these did not get their two cores (the issue measured about 20 M small
	 * messages/s and 6.5 GB/s here): the shares of them are not judged.
	 */
	private static final double RAW_DISTURBED_MESSAGES = 2e6;

	private static final double RAW_DISTURBED_BYTES = 1e9;

	private final Plan plan;

	private final Peers peers;

	private final EchoTask echo;

	private final WorkerChannel channel;

	StreamCases(Plan plan, Peers peers, EchoTask echo, WorkerChannel channel) {
		this.plan = plan;
		this.peers = peers;
		this.echo = echo;
		this.channel = channel;
	}

	void run(Results results) {
		this.echo.echo(false);
		try {
			Integer[] small = new Integer[256];
			for (int i = 0; i < small.length; i++) {
				small[i] = i + 1000;
			}
			LongFunction<Throughput> integers = (nanos) -> stream(nanos, this.channel, this.echo::received,
					(i) -> small[i & 255]);
			compare(results, "stream put(Integer) one way", Integer.BYTES, integers, null, 0.25, false);
			byte[] block = new byte[BLOCK];
			try (ConfigurableApplicationContext frames = Masters.start(BenchmarkApplication.FRAMES)) {
				FrameSinkTask sink = frames.getBean(FrameSinkTask.class);
				WorkerChannel sinkChannel = frames.getBean(VmDispatcher.class).worker("frameSinkTask").channel();
				LongFunction<Throughput> views = (nanos) -> stream(nanos, sinkChannel, sink::received, (i) -> block);
				LongFunction<Throughput> arrays = (nanos) -> stream(nanos, this.channel, this.echo::received,
						(i) -> block);
				compare(results, "stream put(byte[65536]) one way", BLOCK, views, arrays, 0.5, true);
			}
		}
		finally {
			this.echo.echo(true);
		}
	}

	/**
	 * Measures a stream against the raw ring, interleaved; for 64 KiB blocks {@code vmworkers} is
	 * the worker reading each through a read-only view ({@code @OnData} taking a {@code ByteBuffer})
	 * and {@code arrays} the worker getting the array itself ({@code @OnData} taking {@code byte[]}).
	 */
	private void compare(Results results, String name, int rawPayload, LongFunction<Throughput> vmworkers,
			LongFunction<Throughput> arrays, double target, boolean bytes) {
		vmworkers.apply(this.plan.warmupNanos());
		if (arrays != null) {
			arrays.apply(this.plan.warmupNanos());
		}
		this.peers.ring.stream(rawPayload, this.plan.warmupNanos());
		Samples ours = new Samples();
		Samples ownArrays = new Samples();
		Samples raw = new Samples();
		for (int round = 0; round < this.plan.rounds(); round++) {
			ours.add(rate(vmworkers.apply(this.plan.batchNanos()), bytes));
			if (arrays != null) {
				ownArrays.add(rate(arrays.apply(this.plan.batchNanos()), bytes));
			}
			raw.add(rate(this.peers.ring.stream(rawPayload, this.plan.batchNanos()), bytes));
		}
		double share = ours.median() / raw.median();
		String reference = "raw ring, " + rawPayload + "-byte records, " + format(raw, bytes);
		boolean disturbed = raw.median() < (bytes ? RAW_DISTURBED_BYTES : RAW_DISTURBED_MESSAGES);
		if (disturbed) {
			results.note(name + ": the raw ring reached only " + format(raw, bytes)
					+ ", so its two spinning threads did not get two cores (load): the share is not judged.");
		}
		String label = bytes ? "64 KiB byte[]" : "Integer";
		if (arrays != null) {
			results.add(Row.judged(name + ", the worker's @OnData takes a ByteBuffer (a read-only view of an array of its own)",
					format(ours, bytes), reference, Units.percent(share) + " of raw",
					">= " + Units.percent(target) + " of raw", share >= target)
				.unjudgedIf(disturbed));
			double arrayShare = ownArrays.median() / raw.median();
			results.add(Row.info(name + ", the worker's @OnData takes byte[] (an array of its own for each)",
					format(ownArrays, bytes), reference, Units.percent(arrayShare) + " of raw"));
			results.plot(CHART, "vmworkers", label + ", ByteBuffer", share * 100);
			results.plot(CHART, "target", label + ", ByteBuffer", target * 100);
			results.plot(CHART, "vmworkers", label + ", byte[]", arrayShare * 100);
			results.plot(CHART, "target", label + ", byte[]", target * 100);
			return;
		}
		results.add(Row.judged(name, format(ours, bytes), reference, Units.percent(share) + " of raw",
				">= " + Units.percent(target) + " of raw", share >= target)
			.unjudgedIf(disturbed));
		results.plot(CHART, "vmworkers", label, share * 100);
		results.plot(CHART, "target", label, target * 100);
	}

	private static long rate(Throughput throughput, boolean bytes) {
		return Math.round(bytes ? throughput.bytesPerSecond() : throughput.messagesPerSecond());
	}

	private static String format(Samples rates, boolean bytes) {
		String median = bytes ? Units.format("%.2f GB/s", rates.median() / 1e9)
				: Units.format("%.2f M msg/s", rates.median() / 1e6);
		return median + " (spread " + Units.percent(rates.spread()) + ")";
	}

	/**
	 * Puts objects for about {@code nanos}, then asks the worker what it received: the call is
	 * handled after every object put before it, so its answer ends the measurement.
	 */
	private static Throughput stream(long nanos, WorkerChannel channel, Supplier<long[]> counts,
			IntFunction<Object> objects) {
		counts.get();
		long start = System.nanoTime();
		long end = start + nanos;
		int sent = 0;
		do {
			for (int i = 0; i < 64; i++) {
				channel.put(objects.apply(sent++));
			}
		}
		while (System.nanoTime() < end);
		long[] received = counts.get();
		long elapsed = System.nanoTime() - start;
		if (received[0] != sent) {
			throw new IllegalStateException("the worker received " + received[0] + " of " + sent + " objects");
		}
		return new Throughput(received[0], received[1], elapsed);
	}

}

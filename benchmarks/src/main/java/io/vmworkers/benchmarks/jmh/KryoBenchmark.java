package io.vmworkers.benchmarks.jmh;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.protocol.Frames;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding a value with the channel's {@link KryoCodec} and decoding it again: what the codec adds
 * to each message, one way and back (the orientation: about 200 ns for an Integer and
 * 300 ns for a small object per round trip, which is two encodes and two decodes).
 *
 * <p>{@code registrations=fixed} is the codec the application gets, with the JDK's common classes and
 * the protocol's payloads registered by id; {@code registrations=none} the codec without them, which
 * writes those classes by name in every message, for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KryoBenchmark {

	private static final int MAX_MESSAGE_SIZE = 64 << 20;

	private static final int MAX_DEPTH = 512;

	@Param({ "fixed", "none" })
	private String registrations;

	private KryoCodec codec;

	private Object invocation;

	private final Integer integer = 123_456;

	private final Pose pose = new Pose(1.5, -2.25, 0.75, 1_700_000_000_000L, "map");

	private final Position position = new Position(1.5, -2.25, 0.75, 1_700_000_000_000L, "map");

	private Object decoded;

	@Setup
	public void setUp() throws ReflectiveOperationException {
		ClassAllowList allowList = new ClassAllowList(List.of("io.vmworkers.benchmarks"));
		ClassLoader classLoader = KryoBenchmark.class.getClassLoader();
		if ("fixed".equals(this.registrations)) {
			this.codec = new KryoCodec(allowList, classLoader, MAX_MESSAGE_SIZE, Frames.payloadTypes());
		}
		else {
			// The package-private constructor taking the complete list of registrations.
			Constructor<KryoCodec> withRegistrations = KryoCodec.class.getDeclaredConstructor(ClassAllowList.class,
					ClassLoader.class, int.class, int.class, List.class);
			withRegistrations.setAccessible(true);
			this.codec = withRegistrations.newInstance(allowList, classLoader, MAX_MESSAGE_SIZE, MAX_DEPTH, List.of());
		}
		// The payload of a CALL frame for int inc(int), built as ManagedWorker builds it.
		Constructor<?> invocation = Class.forName("io.vmworkers.protocol.Invocation")
			.getDeclaredConstructor(int.class, Object[].class);
		invocation.setAccessible(true);
		this.invocation = invocation.newInstance(0, new Object[] { 41 });
	}

	@Benchmark
	public Object integer() {
		return roundTrip(this.integer);
	}

	@Benchmark
	public Object smallRecord() {
		return roundTrip(this.pose);
	}

	/** The same fields as {@link #smallRecord()} in a plain class: records take another Kryo serializer. */
	@Benchmark
	public Object smallObject() {
		return roundTrip(this.position);
	}

	/** A CALL frame's payload: the method's index and the arguments, here one Integer. */
	@Benchmark
	public Object invocation() {
		return roundTrip(this.invocation);
	}

	private Object roundTrip(Object value) {
		this.codec.encode(value, (buffer, length) -> this.decoded = this.codec.decode(buffer, 0, length));
		return this.decoded;
	}

	/**
	 * A small record of the kind a real-time loop sends.
	 * @param x position
	 * @param y position
	 * @param heading radians
	 * @param time epoch milliseconds
	 * @param frame the coordinate frame's name
	 */
	public record Pose(double x, double y, double heading, long time, String frame) {
	}

	/** {@link Pose} as a plain class, which Kryo writes with its field serializer. */
	public static final class Position {

		private double x;

		private double y;

		private double heading;

		private long time;

		private String frame;

		Position(double x, double y, double heading, long time, String frame) {
			this.x = x;
			this.y = y;
			this.heading = heading;
			this.time = time;
			this.frame = frame;
		}

	}

}

package io.vmworkers.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding a value with the channel's {@link KryoCodec} and decoding it again: what the codec adds
 * to each message, one way and back (the orientation: about 200 ns for an Integer and
 * 300 ns for a small object per round trip, which is two encodes and two decodes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KryoBenchmark {

	private final KryoCodec codec = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.benchmarks")),
			KryoBenchmark.class.getClassLoader(), 64 << 20);

	private final Integer integer = 123_456;

	private final Pose pose = new Pose(1.5, -2.25, 0.75, 1_700_000_000_000L, "map");

	private final Position position = new Position(1.5, -2.25, 0.75, 1_700_000_000_000L, "map");

	private Object decoded;

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

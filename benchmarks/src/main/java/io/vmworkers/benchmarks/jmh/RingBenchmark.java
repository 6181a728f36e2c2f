package io.vmworkers.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.SharedRing;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Writing a small record into a {@link SharedRing} and reading it back, in one thread: the ring's
 * own cost (framing, copies, ordered stores) without another process or any waiting.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingBenchmark {

	private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

	private final byte[] record = new byte[24];

	private SharedRing ring;

	private Blackhole blackhole;

	private final SharedRing.MessageHandler consume = (type, correlationId, buffer, offset, length) -> this.blackhole
		.consume(buffer[offset + length - 1]);

	@Setup(Level.Trial)
	public void createRing(Blackhole blackhole) throws IOException {
		this.blackhole = blackhole;
		Path file = Path.of("/dev/shm", "vmworkers-jmh-" + ProcessHandle.current().pid() + ".ring");
		// A leftover of a killed run would make create fail.
		Files.deleteIfExists(file);
		this.ring = SharedRing.create(file, 64 * 1024, 0);
	}

	@TearDown(Level.Trial)
	public void deleteRing() throws IOException {
		this.ring.close();
		Files.deleteIfExists(this.ring.file());
	}

	@Benchmark
	public int writeThenRead() {
		this.ring.write(1, 42L, this.record, 0, this.record.length, TIMEOUT);
		return this.ring.read(this.consume, 1);
	}

}

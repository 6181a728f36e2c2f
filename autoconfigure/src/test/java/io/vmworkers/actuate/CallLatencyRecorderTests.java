package io.vmworkers.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vmworkers.actuate.CallLatencyRecorder.LatencySummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallLatencyRecorderTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final CallLatencyRecorder recorder = new CallLatencyRecorder(this.now::get);

	@Test
	void percentilesAreThoseOfTheCallsInTheWindow() {
		for (int i = 1; i <= 100; i++) {
			this.recorder.callCompleted("robot", "move", i * 1000L, false);
		}
		LatencySummary summary = this.recorder.summary("robot", Duration.ofSeconds(10));
		assertThat(summary.count()).isEqualTo(100);
		assertThat(summary.p50Nanos()).isEqualTo(50_000);
		assertThat(summary.p99Nanos()).isEqualTo(99_000);
	}

	@Test
	void callsOlderThanTheWindowAreLeftOut() {
		this.recorder.callCompleted("robot", "move", 5_000_000, false);
		this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		this.recorder.callCompleted("robot", "move", 1_000, false);
		LatencySummary summary = this.recorder.summary("robot", Duration.ofSeconds(10));
		assertThat(summary.count()).isOne();
		assertThat(summary.p99Nanos()).isEqualTo(1_000);
	}

	@Test
	void keepsOnlyTheLatestCalls() {
		for (int i = 0; i < CallLatencyRecorder.CAPACITY; i++) {
			this.recorder.callCompleted("robot", "move", 1_000_000, false);
		}
		for (int i = 0; i < CallLatencyRecorder.CAPACITY; i++) {
			this.recorder.callCompleted("robot", "move", 2_000, false);
		}
		LatencySummary summary = this.recorder.summary("robot", Duration.ofSeconds(10));
		assertThat(summary.count()).isEqualTo(CallLatencyRecorder.CAPACITY);
		assertThat(summary.p99Nanos()).isEqualTo(2_000);
	}

	@Test
	void workersWithoutCallsHaveNoPercentiles() {
		LatencySummary summary = this.recorder.summary("idle", Duration.ofSeconds(10));
		assertThat(summary.count()).isZero();
		assertThat(summary.p50Nanos()).isEqualTo(-1);
	}

	@Test
	void forgetsWorkersThatAreGone() {
		this.recorder.callCompleted("robot", "move", 1_000, false);
		this.recorder.retain(List.of("other"));
		assertThat(this.recorder.summary("robot", Duration.ofSeconds(10)).count()).isZero();
	}

}

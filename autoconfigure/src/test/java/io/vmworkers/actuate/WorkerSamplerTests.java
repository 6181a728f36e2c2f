package io.vmworkers.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vmworkers.actuate.WorkerSampler.Activity;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willReturn;

class WorkerSamplerTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	private final AtomicLong now = new AtomicLong(5 * SECOND);

	private final AtomicLong cpu = new AtomicLong();

	private final WorkerHandle robot = TestWorkers.ready("robot", 4242, Instant.now(), Duration.ZERO);

	private final TestWorkers.Dispatcher dispatcher = new TestWorkers.Dispatcher(this.robot);

	private final CallLatencyRecorder latencies = new CallLatencyRecorder(this.now::get);

	private final WorkerSampler sampler = new WorkerSampler(this.dispatcher, this.latencies, this.now::get,
			(pid) -> (pid == 4242) ? new ProcessUsage(this.cpu.get(), 50_000_000) : null);

	@Test
	void ratesAreThoseOfTheLastTenSeconds() {
		// 100 messages/s and 1000 bytes/s to the worker for 20 s, then 10 times that.
		for (int second = 0; second <= 30; second++) {
			long messages = (second <= 20) ? 100L * second : 2000 + 1000L * (second - 20);
			given(this.robot.statistics())
				.willReturn(TestWorkers.statistics(messages, messages * 10, messages / 2, messages, second * 3L, 0));
			this.sampler.sample();
			if (second == 20) {
				Activity steady = this.sampler.activity("robot");
				assertThat(steady.messagesToWorkerPerSecond()).isCloseTo(100, within(0.01));
				assertThat(steady.bytesToWorkerPerSecond()).isCloseTo(1000, within(0.01));
				assertThat(steady.messagesFromWorkerPerSecond()).isCloseTo(50, within(0.01));
				assertThat(steady.callsPerSecond()).isCloseTo(3, within(0.01));
			}
			this.now.addAndGet(SECOND);
		}
		Activity faster = this.sampler.activity("robot");
		assertThat(faster.messagesToWorkerPerSecond()).isCloseTo(1000, within(0.01));
		assertThat(faster.bytesFromWorkerPerSecond()).isCloseTo(1000, within(0.01));
	}

	@Test
	void ratesAreZeroUntilThereAreTwoSamples() {
		given(this.robot.statistics()).willReturn(TestWorkers.statistics(500, 5000, 500, 5000, 0, 0));
		this.sampler.sample();
		assertThat(this.sampler.activity("robot").messagesToWorkerPerSecond()).isZero();
		assertThat(this.sampler.activity("unknown")).isEqualTo(Activity.NONE);
	}

	@Test
	void cpuUsageIsTheShareOfAllCpusOverTheLastInterval() {
		this.sampler.sample();
		assertThat(this.sampler.activity("robot").cpuUsage()).isEqualTo(-1);
		this.now.addAndGet(SECOND);
		this.cpu.addAndGet(SECOND / 2);
		this.sampler.sample();
		Activity activity = this.sampler.activity("robot");
		int processors = Runtime.getRuntime().availableProcessors();
		assertThat(activity.cpuUsage()).isCloseTo(0.5 / processors, within(1e-9));
		assertThat(activity.cpuTimeNanos()).isEqualTo(SECOND / 2);
		assertThat(activity.residentBytes()).isEqualTo(50_000_000);
	}

	@Test
	void cpuUsageStartsAgainWhenTheWorkerHasANewProcess() {
		this.sampler.sample();
		this.now.addAndGet(SECOND);
		given(this.robot.pid()).willReturn(4343L);
		this.sampler.sample();
		assertThat(this.sampler.activity("robot").cpuUsage()).isEqualTo(-1);
		assertThat(this.sampler.activity("robot").residentBytes()).isEqualTo(-1);
	}

	@Test
	void samplesEveryProcessOfAPoolByPid() {
		ReplicaHandle first = TestWorkers.replica(0, ReplicaRole.REPLICA, 101, Instant.now(), Duration.ZERO);
		ReplicaHandle second = TestWorkers.replica(1, ReplicaRole.REPLICA, 102, Instant.now(), Duration.ZERO);
		ReplicaHandle spare = TestWorkers.replica(2, ReplicaRole.SPARE, 103, Instant.now(), Duration.ZERO);
		WorkerSampler sampler = poolSampler(TestWorkers.pool("pool", first, second, spare));
		sampler.sample();
		this.now.addAndGet(SECOND);
		this.cpu.addAndGet(SECOND);
		sampler.sample();
		int processors = Runtime.getRuntime().availableProcessors();
		for (int index = 0; index < 3; index++) {
			Activity replica = sampler.activity("pool", index);
			double share = (index + 1) / 10.0;
			assertThat(replica.cpuUsage()).isCloseTo(share / processors, within(1e-9));
			assertThat(replica.cpuTimeNanos()).isEqualTo((long) (share * SECOND));
			assertThat(replica.residentBytes()).isEqualTo((index + 1) * 10_000_000L);
		}
		Activity pool = sampler.activity("pool");
		assertThat(pool.cpuUsage()).isCloseTo(0.6 / processors, within(1e-9));
		assertThat(pool.residentBytes()).isEqualTo(60_000_000);
		assertThat(sampler.activity("pool", 3)).isEqualTo(Activity.NONE);
	}

	@Test
	void aPlaceWithoutARunningProcessIsNotRead() {
		ReplicaHandle first = TestWorkers.replica(0, ReplicaRole.REPLICA, 101, Instant.now(), Duration.ZERO);
		ReplicaHandle second = TestWorkers.replica(1, ReplicaRole.REPLICA, 102, Instant.now(), Duration.ZERO);
		given(second.state()).willReturn(WorkerState.FAILED);
		Set<Long> read = new HashSet<>();
		WorkerSampler sampler = new WorkerSampler(new TestWorkers.Dispatcher(TestWorkers.pool("pool", first, second)),
				this.latencies, this.now::get, (pid) -> {
					read.add(pid);
					return new ProcessUsage(0, 10_000_000);
				});
		sampler.sample();
		assertThat(read).containsExactly(101L);
		assertThat(sampler.activity("pool", 1).residentBytes()).isEqualTo(-1);
		assertThat(sampler.activity("pool").residentBytes()).isEqualTo(10_000_000);
	}

	@Test
	void cpuUsageFollowsAProcessThatTakesAnotherPlace() {
		ReplicaHandle first = TestWorkers.replica(0, ReplicaRole.REPLICA, 101, Instant.now(), Duration.ZERO);
		ReplicaHandle spare = TestWorkers.replica(1, ReplicaRole.SPARE, 103, Instant.now(), Duration.ZERO);
		WorkerSampler sampler = poolSampler(TestWorkers.pool("pool", first, spare));
		sampler.sample();
		// The replica dies; the spare takes its place, and a new spare starts.
		given(first.pid()).willReturn(103L);
		given(spare.pid()).willReturn(104L);
		this.now.addAndGet(SECOND);
		this.cpu.addAndGet(SECOND);
		sampler.sample();
		int processors = Runtime.getRuntime().availableProcessors();
		assertThat(sampler.activity("pool", 0).cpuUsage()).isCloseTo(0.3 / processors, within(1e-9));
		assertThat(sampler.activity("pool", 1).cpuUsage()).isEqualTo(-1);
		assertThat(sampler.activity("pool", 1).residentBytes()).isEqualTo(40_000_000);
	}

	@Test
	void aPlacesRatesAreThoseOfItsOwnChannel() {
		ReplicaHandle first = TestWorkers.replica(0, ReplicaRole.REPLICA, 101, Instant.now(), Duration.ZERO);
		ReplicaHandle second = TestWorkers.replica(1, ReplicaRole.REPLICA, 102, Instant.now(), Duration.ZERO);
		WorkerHandle pool = TestWorkers.pool("pool", first, second);
		WorkerSampler sampler = poolSampler(pool);
		for (int at = 0; at <= 10; at++) {
			given(first.statistics()).willReturn(TestWorkers.statistics(100L * at, 0, 0, 0, 3L * at, 0));
			given(second.statistics()).willReturn(TestWorkers.statistics(10L * at, 0, 0, 0, at, 0));
			given(pool.statistics()).willReturn(TestWorkers.statistics(110L * at, 0, 0, 0, 4L * at, 0));
			sampler.sample();
			this.now.addAndGet(SECOND);
		}
		assertThat(sampler.activity("pool", 0).messagesToWorkerPerSecond()).isCloseTo(100, within(0.01));
		assertThat(sampler.activity("pool", 1).messagesToWorkerPerSecond()).isCloseTo(10, within(0.01));
		assertThat(sampler.activity("pool", 1).callsPerSecond()).isCloseTo(1, within(0.01));
		assertThat(sampler.activity("pool").messagesToWorkerPerSecond()).isCloseTo(110, within(0.01));
	}

	@Test
	void forgetsPlacesThatAreGone() {
		ReplicaHandle first = TestWorkers.replica(0, ReplicaRole.REPLICA, 101, Instant.now(), Duration.ZERO);
		ReplicaHandle second = TestWorkers.replica(1, ReplicaRole.REPLICA, 102, Instant.now(), Duration.ZERO);
		WorkerHandle pool = TestWorkers.pool("pool", first, second);
		WorkerSampler sampler = poolSampler(pool);
		sampler.sample();
		assertThat(sampler.activity("pool", 1).residentBytes()).isEqualTo(20_000_000);
		willReturn(List.of(first)).given(pool).replicas();
		sampler.sample();
		assertThat(sampler.activity("pool", 1)).isEqualTo(Activity.NONE);
		assertThat(sampler.activity("pool").residentBytes()).isEqualTo(10_000_000);
	}

	/** Process 10n uses n tenths of what {@link #cpu} counts, and n * 10 MB. */
	private WorkerSampler poolSampler(WorkerHandle pool) {
		return new WorkerSampler(new TestWorkers.Dispatcher(pool), this.latencies, this.now::get,
				(pid) -> new ProcessUsage(this.cpu.get() * (pid - 100) / 10, (pid - 100) * 10_000_000));
	}

	@Test
	void forgetsWorkersThatAreGoneAndTellsListeners() {
		AtomicInteger samples = new AtomicInteger();
		this.sampler.addListener(samples::incrementAndGet);
		this.sampler.sample();
		this.latencies.callCompleted("robot", "move", 1000, false);
		this.dispatcher.remove("robot");
		this.sampler.sample();
		assertThat(this.sampler.activity("robot")).isEqualTo(Activity.NONE);
		assertThat(this.sampler.latency("robot").count()).isZero();
		assertThat(samples).hasValue(2);
	}

	@Test
	void samplesEverySecondWhileRunning() {
		AtomicInteger samples = new AtomicInteger();
		WorkerSampler running = new WorkerSampler(this.dispatcher, this.latencies);
		running.addListener(samples::incrementAndGet);
		running.start();
		try {
			assertThat(running.isRunning()).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> samples.get() >= 2);
		}
		finally {
			running.stop();
		}
		assertThat(running.isRunning()).isFalse();
	}

}

package io.vmworkers.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vmworkers.actuate.WorkerSampler.Activity;
import io.vmworkers.dispatch.WorkerHandle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;

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

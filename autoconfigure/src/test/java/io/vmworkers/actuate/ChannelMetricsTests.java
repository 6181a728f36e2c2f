package io.vmworkers.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

class ChannelMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final WorkerHandle robot = TestWorkers.ready("robot", 4242, Instant.now().minusSeconds(5), Duration.ZERO);

	private final WorkerHandle camera = TestWorkers.ready("camera", 4343, Instant.now(), Duration.ZERO);

	private final TestWorkers.Dispatcher dispatcher = new TestWorkers.Dispatcher(this.robot, this.camera);

	private final WorkerSampler sampler = new WorkerSampler(this.dispatcher, new CallLatencyRecorder(), System::nanoTime,
			(pid) -> new ProcessUsage(2_000_000_000L, 80_000_000));

	private final ChannelMetrics metrics = new ChannelMetrics(this.dispatcher, this.sampler);

	@Test
	void countersFollowTheChannelsCountsPerDirection() {
		given(this.robot.statistics()).willReturn(TestWorkers.statistics(10, 100, 12, 120, 3, 1));
		this.metrics.bindTo(this.registry);
		assertThat(counter("vmworkers.channel.messages", "robot", ChannelMetrics.TO_WORKER).count()).isEqualTo(10);
		assertThat(counter("vmworkers.channel.messages", "robot", ChannelMetrics.FROM_WORKER).count()).isEqualTo(12);
		assertThat(counter("vmworkers.channel.bytes", "robot", ChannelMetrics.TO_WORKER).count()).isEqualTo(100);
		assertThat(counter("vmworkers.channel.bytes", "robot", ChannelMetrics.FROM_WORKER).count()).isEqualTo(120);
		given(this.robot.statistics()).willReturn(TestWorkers.statistics(11, 150, 12, 120, 4, 1));
		assertThat(counter("vmworkers.channel.messages", "robot", ChannelMetrics.TO_WORKER).count()).isEqualTo(11);
		assertThat(this.registry.get("vmworkers.calls.completed").tag("worker", "robot").functionCounter().count())
			.isEqualTo(4);
		assertThat(this.registry.get("vmworkers.calls.failed").tag("worker", "robot").functionCounter().count())
			.isEqualTo(1);
	}

	@Test
	void metersHaveBaseUnits() {
		this.metrics.bindTo(this.registry);
		assertThat(counter("vmworkers.channel.bytes", "robot", ChannelMetrics.TO_WORKER).getId().getBaseUnit())
			.isEqualTo("bytes");
		assertThat(counter("vmworkers.channel.messages", "robot", ChannelMetrics.TO_WORKER).getId().getBaseUnit())
			.isEqualTo("messages");
		assertThat(gauge("vmworkers.channel.waiting", "robot", ChannelMetrics.TO_WORKER).getId().getBaseUnit())
			.isEqualTo("bytes");
		assertThat(this.registry.get("vmworkers.worker.uptime").timeGauge().getId().getBaseUnit()).isEqualTo("seconds");
	}

	@Test
	void gaugesShowBytesWaitingCapacityUpRestartsAndHeap() {
		given(this.robot.startCount()).willReturn(3);
		this.metrics.bindTo(this.registry);
		assertThat(gauge("vmworkers.channel.waiting", "robot", ChannelMetrics.TO_WORKER).value()).isEqualTo(16);
		assertThat(gauge("vmworkers.channel.waiting", "robot", ChannelMetrics.FROM_WORKER).value()).isEqualTo(32);
		assertThat(gauge("vmworkers.channel.capacity", "robot", ChannelMetrics.TO_WORKER).value())
			.isEqualTo(512 * 1024);
		assertThat(this.registry.get("vmworkers.worker.restarts").tag("worker", "robot").functionCounter().count())
			.isEqualTo(2);
		assertThat(workerGauge("vmworkers.worker.up", "robot").value()).isEqualTo(1);
		assertThat(workerGauge("vmworkers.worker.heap.used", "robot").value()).isEqualTo(10_000_000);
		assertThat(workerGauge("vmworkers.worker.heap.max", "robot").value()).isEqualTo(64 * 1024 * 1024);
		TimeGauge uptime = this.registry.get("vmworkers.worker.uptime").tag("worker", "robot").timeGauge();
		assertThat(uptime.value(TimeUnit.SECONDS)).isBetween(4.0, 60.0);
		given(this.robot.state()).willReturn(WorkerState.FAILED);
		assertThat(workerGauge("vmworkers.worker.up", "robot").value()).isZero();
		assertThat(workerGauge("vmworkers.worker.heap.used", "robot").value()).isNaN();
	}

	@Test
	void processGaugesReadTheSamplersLatestSample() {
		this.metrics.bindTo(this.registry);
		assertThat(workerGauge("vmworkers.worker.memory.resident", "robot").value()).isNaN();
		this.sampler.sample();
		assertThat(workerGauge("vmworkers.worker.memory.resident", "robot").value()).isEqualTo(80_000_000);
		// One sample gives no CPU use yet; the same CPU time a moment later gives 0.
		assertThat(workerGauge("vmworkers.worker.cpu.usage", "robot").value()).isNaN();
		this.sampler.sample();
		assertThat(workerGauge("vmworkers.worker.cpu.usage", "robot").value()).isZero();
	}

	@Test
	void metersOfAWorkerThatIsGoneAreRemovedAtTheNextSample() {
		this.metrics.bindTo(this.registry);
		int perWorker = metersOf("camera");
		assertThat(perWorker).isEqualTo(metersOf("robot")).isGreaterThanOrEqualTo(17);
		this.dispatcher.remove("robot");
		this.sampler.sample();
		assertThat(metersOf("robot")).isZero();
		assertThat(metersOf("camera")).isEqualTo(perWorker);
	}

	@Test
	void allMetersAreRemovedWhenTheContextCloses() {
		this.metrics.bindTo(this.registry);
		this.metrics.destroy();
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void callLatencyTimerPublishesAHistogramPerWorkerMethodAndOutcome() {
		List<DistributionStatisticConfig> configs = new ArrayList<>();
		this.registry.config().meterFilter(new MeterFilter() {

			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				configs.add(config);
				return config;
			}

		});
		CallLatencyMetrics calls = new CallLatencyMetrics();
		calls.callCompleted("robot", "move", 1_000_000, false);
		assertThat(this.registry.find(CallLatencyMetrics.METER_NAME).meters()).isEmpty();
		calls.bindTo(this.registry);
		calls.callCompleted("robot", "move", 2_000_000, false);
		calls.callCompleted("robot", "move", 4_000_000, false);
		calls.callCompleted("robot", "move", 8_000_000, true);
		Timer success = this.registry.get(CallLatencyMetrics.METER_NAME)
			.tags("worker", "robot", "method", "move", "outcome", "success")
			.timer();
		assertThat(success.count()).isEqualTo(2);
		assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6.0);
		assertThat(this.registry.get(CallLatencyMetrics.METER_NAME).tag("outcome", "failure").timer().count())
			.isOne();
		assertThat(configs).hasSize(2).allMatch(DistributionStatisticConfig::isPercentileHistogram);
	}

	private FunctionCounter counter(String name, String worker, String direction) {
		return this.registry.get(name).tags("worker", worker, "direction", direction).functionCounter();
	}

	private Gauge gauge(String name, String worker, String direction) {
		return this.registry.get(name).tags("worker", worker, "direction", direction).gauge();
	}

	private Gauge workerGauge(String name, String worker) {
		return this.registry.get(name).tag("worker", worker).gauge();
	}

	private int metersOf(String worker) {
		return (int) this.registry.getMeters()
			.stream()
			.map(Meter::getId)
			.filter((id) -> worker.equals(id.getTag("worker")))
			.count();
	}

}

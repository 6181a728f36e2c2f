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
import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.Heartbeat;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willReturn;

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
	void wakeUpsOfTheWorkerAreCountedInTheDirectionToIt() {
		given(this.robot.statistics()).willReturn(new ChannelStatistics(10, 100, 12, 120, 7, 1, 5, 16, 32, 4096));
		this.metrics.bindTo(this.registry);
		assertThat(counter("vmworkers.channel.wakeups", "robot", ChannelMetrics.TO_WORKER).count()).isEqualTo(5);
		assertThat(this.registry.find("vmworkers.channel.wakeups").tag("direction", ChannelMetrics.FROM_WORKER).meter())
			.isNull();
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
	void eachPlaceOfAPoolHasItsOwnMetersTaggedWithItsIndexAndRole() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102);
		ReplicaHandle spare = replica(2, ReplicaRole.SPARE, 103);
		given(second.heartbeatAge()).willReturn(Duration.ofMillis(750));
		given(second.lastHeartbeat()).willReturn(new Heartbeat(20_000_000, 128 * 1024 * 1024, 15_000_000));
		given(second.statistics()).willReturn(new ChannelStatistics(10, 100, 12, 120, 7, 1, 5, 160, 320, 4096));
		given(second.callsInFlight()).willReturn(3);
		given(spare.state()).willReturn(WorkerState.STARTING);
		bindPool(first, second, spare);
		assertThat(replicaGauge("vmworkers.replica.heap.used", "1").value()).isEqualTo(20_000_000);
		assertThat(replicaGauge("vmworkers.replica.heap.max", "1").value()).isEqualTo(128 * 1024 * 1024);
		assertThat(this.registry.get("vmworkers.replica.heartbeat.age")
			.tags("worker", "pool", "replica", "1")
			.timeGauge()
			.value(TimeUnit.MILLISECONDS)).isEqualTo(750);
		assertThat(this.registry.get("vmworkers.replica.channel.waiting")
			.tags("worker", "pool", "replica", "1", "direction", ChannelMetrics.TO_WORKER)
			.gauge()
			.value()).isEqualTo(160);
		assertThat(this.registry.get("vmworkers.replica.channel.waiting")
			.tags("worker", "pool", "replica", "1", "direction", ChannelMetrics.FROM_WORKER)
			.gauge()
			.value()).isEqualTo(320);
		assertThat(replicaGauge("vmworkers.replica.calls.active", "1").value()).isEqualTo(3);
		assertThat(this.registry.get("vmworkers.replica.calls.completed")
			.tags("worker", "pool", "replica", "1")
			.functionCounter()
			.count()).isEqualTo(7);
		assertThat(replicaGauge("vmworkers.replica.up", "0").value()).isOne();
		assertThat(replicaGauge("vmworkers.replica.up", "2").value()).isZero();
		assertThat(replicaGauge("vmworkers.replica.heap.used", "2").value()).isNaN();
		assertThat(replicaGauge("vmworkers.replica.up", "0").getId().getTag("role")).isEqualTo(ChannelMetrics.REPLICA);
		assertThat(replicaGauge("vmworkers.replica.up", "2").getId().getTag("role")).isEqualTo(ChannelMetrics.SPARE);
	}

	@Test
	void replicaProcessGaugesReadTheSamplersLatestSampleOfTheirPid() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102);
		TestWorkers.Dispatcher workers = new TestWorkers.Dispatcher(TestWorkers.pool("pool", first, second));
		WorkerSampler sampler = new WorkerSampler(workers, new CallLatencyRecorder(), System::nanoTime,
				(pid) -> new ProcessUsage(1_000_000, (pid - 100) * 10_000_000));
		new ChannelMetrics(workers, sampler).bindTo(this.registry);
		assertThat(replicaGauge("vmworkers.replica.memory.resident", "0").value()).isNaN();
		sampler.sample();
		assertThat(replicaGauge("vmworkers.replica.memory.resident", "0").value()).isEqualTo(10_000_000);
		assertThat(replicaGauge("vmworkers.replica.memory.resident", "1").value()).isEqualTo(20_000_000);
		assertThat(workerGauge("vmworkers.worker.memory.resident", "pool").value()).isEqualTo(30_000_000);
		assertThat(replicaGauge("vmworkers.replica.cpu.usage", "1").value()).isNaN();
		sampler.sample();
		assertThat(replicaGauge("vmworkers.replica.cpu.usage", "1").value()).isZero();
	}

	@Test
	void aPoolsWorkerMetersAreItsTotals() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102);
		ReplicaHandle spare = replica(2, ReplicaRole.SPARE, 103);
		given(second.state()).willReturn(WorkerState.RESTARTING);
		WorkerHandle pool = bindPool(first, second, spare);
		given(pool.startCount()).willReturn(5);
		assertThat(workerGauge("vmworkers.worker.heap.used", "pool").value()).isEqualTo(20_000_000);
		assertThat(workerGauge("vmworkers.worker.heap.max", "pool").value()).isEqualTo(2 * 64 * 1024 * 1024);
		assertThat(this.registry.get("vmworkers.worker.restarts").tag("worker", "pool").functionCounter().count())
			.isEqualTo(2);
	}

	@Test
	void metersOfAPlaceThatIsGoneAreRemovedAtTheNextSample() {
		ReplicaHandle first = replica(0, ReplicaRole.REPLICA, 101);
		ReplicaHandle second = replica(1, ReplicaRole.REPLICA, 102);
		WorkerHandle pool = bindPool(first, second);
		long perPlace = metersOfPlace("1");
		assertThat(perPlace).isEqualTo(metersOfPlace("0")).isGreaterThanOrEqualTo(10);
		willReturn(List.of(first)).given(pool).replicas();
		this.sampler.sample();
		assertThat(metersOfPlace("1")).isZero();
		assertThat(metersOfPlace("0")).isEqualTo(perPlace);
		willReturn(List.of(first, second)).given(pool).replicas();
		this.sampler.sample();
		assertThat(metersOfPlace("1")).isEqualTo(perPlace);
		this.dispatcher.remove("pool");
		this.sampler.sample();
		assertThat(metersOf("pool")).isZero();
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

	private WorkerHandle bindPool(ReplicaHandle... places) {
		WorkerHandle pool = TestWorkers.pool("pool", places);
		this.dispatcher.add(pool);
		this.metrics.bindTo(this.registry);
		return pool;
	}

	private ReplicaHandle replica(int index, ReplicaRole role, long pid) {
		return TestWorkers.replica(index, role, pid, Instant.now().minusSeconds(5), Duration.ofMillis(100));
	}

	private Gauge replicaGauge(String name, String replica) {
		return this.registry.get(name).tags("worker", "pool", "replica", replica).gauge();
	}

	private long metersOfPlace(String replica) {
		return this.registry.getMeters()
			.stream()
			.map(Meter::getId)
			.filter((id) -> "pool".equals(id.getTag("worker")) && replica.equals(id.getTag("replica")))
			.count();
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

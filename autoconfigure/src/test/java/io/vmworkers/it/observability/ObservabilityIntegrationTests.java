package io.vmworkers.it.observability;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.ChannelStatistics;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Http;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint, health and meters of a running application with two real workers, over HTTP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static Http http;

	private static VmDispatcher dispatcher;

	@BeforeAll
	static void start() {
		context = Http.start(ObservabilityApplication.class,
				"management.endpoints.web.exposure.include=vmworkers,health,metrics",
				"management.endpoint.health.show-details=always", "vmworkers.metrics.call-latency.enabled=true",
				"vmworkers.shutdown-timeout=5s",
				// Above the default 1s, so that a loaded CI machine's pauses do not turn health DOWN.
				"vmworkers.health.heartbeat-timeout=2s",
				// A killed worker stays failed, for the health it gives.
				"vmworkers.restart.mode=never");
		http = Http.to(context);
		dispatcher = context.getBean(VmDispatcher.class);
	}

	@AfterAll
	static void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	@Test
	@Order(1)
	void endpointDescribesEveryWorkerAndItsProcess() {
		WorkerHandle echo = dispatcher.worker("echoTask");
		// Process figures come from the sampler, once a second.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> worker("echoTask").path("process").path("residentMemory").asLong(0) > 0);
		JsonNode workers = http.get("/actuator/vmworkers").json().path("workers");
		assertThat(workers.size()).isEqualTo(2);
		List<String> names = new ArrayList<>();
		workers.forEach((worker) -> names.add(worker.path("name").asString()));
		assertThat(names).containsExactlyInAnyOrder("echoTask", "idleTask");
		JsonNode worker = worker("echoTask");
		assertThat(worker.path("state").asString()).isEqualTo("ready");
		assertThat(worker.path("pid").asLong()).isEqualTo(echo.pid());
		assertThat(Workers.children()).extracting(ProcessHandle::pid).contains(echo.pid());
		assertThat(worker.path("startCount").asInt()).isOne();
		assertThat(worker.path("restarts").asInt()).isZero();
		assertThat(worker.path("uptimeMillis").asLong()).isPositive();
		assertThat(worker.path("startedAt").asString()).isNotBlank();
		assertThat(worker.path("heartbeatAgeMillis").asLong()).isBetween(0L, 2000L);
		assertThat(worker.path("lastExit").isNull()).isTrue();
		JsonNode process = worker.path("process");
		// -Xmx64m: the heap's limit, as the worker reports it in its heartbeat.
		assertThat(process.path("heapMax").asLong()).isBetween(32L << 20, 64L << 20);
		assertThat(process.path("heapUsed").asLong()).isPositive();
		assertThat(process.path("residentMemory").asLong()).isGreaterThan(process.path("heapUsed").asLong());
		assertThat(process.path("cpuTimeSeconds").asDouble()).isPositive();
		JsonNode toWorker = worker.path("channel").path("toWorker");
		assertThat(toWorker.path("capacity").asLong()).isEqualTo(512 * 1024);
		assertThat(worker.path("channel").path("fromWorker").path("capacity").asLong()).isEqualTo(512 * 1024);
	}

	@Test
	@Order(2)
	void countsMatchWhatWasSent() {
		EchoTask task = context.getBean(EchoTask.class);
		WorkerChannel channel = dispatcher.worker("echoTask").channel();
		JsonNode before = worker("echoTask");
		long started = System.nanoTime();
		int messages = 1000;
		int calls = 50;
		for (int i = 0; i < messages; i++) {
			channel.put("m" + i);
			assertThat((String) channel.next(Duration.ofSeconds(10))).isEqualTo("m" + i + "!");
		}
		for (int i = 0; i < calls; i++) {
			assertThat(task.inc(i)).isEqualTo(i + 1);
		}
		JsonNode after = worker("echoTask");
		double seconds = (System.nanoTime() - started) / 1e9;
		assertThat(delta(before, after, "toWorker", "messages")).isEqualTo(messages + calls);
		// From the worker: the echoes and the replies, plus a heartbeat every 250 ms.
		long heartbeats = (long) Math.ceil(seconds * 4) + 2;
		assertThat(delta(before, after, "fromWorker", "messages")).isBetween((long) messages + calls,
				messages + calls + heartbeats);
		assertThat(delta(before, after, "toWorker", "bytes")).isGreaterThanOrEqualTo(messages * 2L);
		assertThat(after.path("calls").path("completed").asLong() - before.path("calls").path("completed").asLong())
			.isEqualTo(calls);
		assertThat(after.path("calls").path("failed").asLong()).isZero();
		assertThat(after.path("calls").path("sampled").asInt()).isGreaterThanOrEqualTo(calls);
		double p50 = after.path("calls").path("p50Millis").asDouble();
		assertThat(p50).isPositive();
		assertThat(after.path("calls").path("p99Millis").asDouble()).isGreaterThanOrEqualTo(p50);
		// The endpoint reads the same counts as the handle.
		ChannelStatistics statistics = dispatcher.worker("echoTask").statistics();
		assertThat(after.path("channel").path("toWorker").path("messages").asLong())
			.isEqualTo(statistics.messagesToWorker());
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			JsonNode now = worker("echoTask");
			assertThat(now.path("channel").path("toWorker").path("messagesPerSecond").asDouble()).isPositive();
			assertThat(now.path("channel").path("fromWorker").path("bytesPerSecond").asDouble()).isPositive();
			assertThat(now.path("calls").path("perSecond").asDouble()).isPositive();
		});
	}

	@Test
	@Order(3)
	void unknownWorkerIsNotFoundAndUnknownActionABadRequest() {
		assertThat(http.get("/actuator/vmworkers/nobody").status()).isEqualTo(404);
		assertThat(http.post("/actuator/vmworkers/nobody", "{\"action\":\"stop\"}").status()).isEqualTo(404);
		Http.Response bad = http.post("/actuator/vmworkers/echoTask", "{\"action\":\"explode\"}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(dispatcher.worker("echoTask").state()).isEqualTo(WorkerState.READY);
	}

	@Test
	@Order(4)
	void metersArePublished() {
		JsonNode names = http.get("/actuator/metrics").json().path("names");
		List<String> published = new ArrayList<>();
		names.forEach((name) -> published.add(name.asString()));
		assertThat(published).contains("vmworkers.channel.messages", "vmworkers.channel.bytes",
				"vmworkers.channel.waiting", "vmworkers.channel.capacity", "vmworkers.calls.completed",
				"vmworkers.calls.failed", "vmworkers.call.duration", "vmworkers.worker.up",
				"vmworkers.worker.restarts", "vmworkers.worker.uptime", "vmworkers.worker.heap.used",
				"vmworkers.worker.heap.max", "vmworkers.worker.cpu.usage", "vmworkers.worker.memory.resident");
		JsonNode messages = http
			.get("/actuator/metrics/vmworkers.channel.messages?tag=worker:echoTask&tag=direction:to-worker")
			.json();
		assertThat(messages.path("baseUnit").asString()).isEqualTo("messages");
		assertThat(measurement(messages, "COUNT"))
			.isEqualTo(dispatcher.worker("echoTask").statistics().messagesToWorker());
		JsonNode calls = http.get("/actuator/metrics/vmworkers.call.duration?tag=worker:echoTask&tag=method:inc")
			.json();
		assertThat(measurement(calls, "COUNT")).isGreaterThanOrEqualTo(50);
		JsonNode up = http.get("/actuator/metrics/vmworkers.worker.up?tag=worker:idleTask").json();
		assertThat(measurement(up, "VALUE")).isEqualTo(1);
		JsonNode heap = http.get("/actuator/metrics/vmworkers.worker.heap.max?tag=worker:echoTask").json();
		assertThat(heap.path("baseUnit").asString()).isEqualTo("bytes");
		assertThat(measurement(heap, "VALUE")).isBetween(32.0 * (1 << 20), 64.0 * (1 << 20));
	}

	@Test
	@Order(5)
	void healthHasOneUpEntryPerWorkerWithPidUptimeAndHeartbeatAge() {
		Http.Response response = http.get("/actuator/health");
		assertThat(response.status()).isEqualTo(200);
		JsonNode vmworkers = response.json().path("components").path("vmworkers");
		assertThat(vmworkers.path("status").asString()).isEqualTo("UP");
		JsonNode echo = vmworkers.path("components").path("echoTask");
		assertThat(echo.path("status").asString()).isEqualTo("UP");
		assertThat(echo.path("details").path("pid").asLong()).isEqualTo(dispatcher.worker("echoTask").pid());
		assertThat(echo.path("details").path("uptimeMillis").asLong()).isPositive();
		assertThat(echo.path("details").path("heartbeatAgeMillis").asLong()).isBetween(0L, 2000L);
		assertThat(vmworkers.path("components").path("idleTask").path("status").asString()).isEqualTo("UP");
	}

	@Test
	@Order(6)
	void healthIsDownWhileAWorkersHeartbeatIsStale() throws Exception {
		long pid = dispatcher.worker("idleTask").pid();
		signal("STOP", pid);
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "DOWN".equals(workerHealth("idleTask").path("status").asString()));
			assertThat(workerHealth("idleTask").path("details").path("heartbeatAgeMillis").asLong())
				.isGreaterThan(2000);
			assertThat(http.get("/actuator/health").status()).isEqualTo(503);
		}
		finally {
			signal("CONT", pid);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "UP".equals(workerHealth("idleTask").path("status").asString()));
	}

	@Test
	@Order(7)
	void restartOperationStartsANewProcess() {
		long before = dispatcher.worker("echoTask").pid();
		Http.Response response = http.post("/actuator/vmworkers/echoTask", "{\"action\":\"restart\"}");
		assertThat(response.status()).isEqualTo(200);
		JsonNode worker = response.json();
		assertThat(worker.path("state").asString()).isEqualTo("ready");
		assertThat(worker.path("pid").asLong()).isNotEqualTo(before).isEqualTo(dispatcher.worker("echoTask").pid());
		assertThat(worker.path("restarts").asInt()).isOne();
		assertThat(worker.path("lastExit").path("expected").asBoolean()).isTrue();
		assertThat(ProcessHandle.of(before).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(context.getBean(EchoTask.class).inc(1)).isEqualTo(2);
		JsonNode restarts = http.get("/actuator/metrics/vmworkers.worker.restarts?tag=worker:echoTask").json();
		assertThat(measurement(restarts, "COUNT")).isEqualTo(1);
	}

	@Test
	@Order(8)
	void stopOperationStopsTheWorker() {
		long before = dispatcher.worker("idleTask").pid();
		Http.Response response = http.post("/actuator/vmworkers/idleTask", "{\"action\":\"stop\"}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("state").asString()).isEqualTo("stopped");
		assertThat(response.json().path("pid").asLong()).isEqualTo(-1);
		assertThat(ProcessHandle.of(before).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(workerHealth("idleTask").path("status").asString()).isEqualTo("OUT_OF_SERVICE");
		JsonNode up = http.get("/actuator/metrics/vmworkers.worker.up?tag=worker:idleTask").json();
		assertThat(measurement(up, "VALUE")).isZero();
		// A restart starts a stopped worker again.
		assertThat(http.post("/actuator/vmworkers/idleTask", "{\"action\":\"restart\"}").json().path("state").asString())
			.isEqualTo("ready");
	}

	@Test
	@Order(9)
	void healthIsDownAfterAWorkerIsKilled() {
		long pid = dispatcher.worker("echoTask").pid();
		ProcessHandle.of(pid).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "DOWN".equals(workerHealth("echoTask").path("status").asString()));
		Http.Response health = http.get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
		assertThat(workerHealth("idleTask").path("status").asString()).isEqualTo("UP");
		JsonNode worker = worker("echoTask");
		assertThat(worker.path("state").asString()).isEqualTo("failed");
		assertThat(worker.path("lastExit").path("pid").asLong()).isEqualTo(pid);
		assertThat(worker.path("lastExit").path("exitCode").asInt()).isEqualTo(137);
		assertThat(worker.path("lastExit").path("signal").asString()).isEqualTo("SIGKILL");
		assertThat(worker.path("lastExit").path("expected").asBoolean()).isFalse();
		JsonNode up = http.get("/actuator/metrics/vmworkers.worker.up?tag=worker:echoTask").json();
		assertThat(measurement(up, "VALUE")).isZero();
	}

	private static JsonNode worker(String name) {
		Http.Response response = http.get("/actuator/vmworkers/" + name);
		assertThat(response.status()).isEqualTo(200);
		return response.json();
	}

	private static JsonNode workerHealth(String name) {
		return http.get("/actuator/health").json().path("components").path("vmworkers").path("components").path(name);
	}

	private static long delta(JsonNode before, JsonNode after, String direction, String field) {
		return after.path("channel").path(direction).path(field).asLong()
				- before.path("channel").path(direction).path(field).asLong();
	}

	private static double measurement(JsonNode metric, String statistic) {
		for (JsonNode measurement : metric.path("measurements")) {
			if (statistic.equals(measurement.path("statistic").asString())) {
				return measurement.path("value").asDouble();
			}
		}
		throw new AssertionError("no " + statistic + " in " + metric);
	}

	private static void signal(String signal, long pid) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(kill.exitValue()).isZero();
	}

}

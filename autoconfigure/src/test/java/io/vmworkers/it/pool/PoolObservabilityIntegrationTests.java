package io.vmworkers.it.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Http;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pool of two replicas and a spare as the actuator shows it, over HTTP: the endpoint's
 * {@code replicas}, and health while a replica is down.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolObservabilityIntegrationTests {

	@Test
	void endpointListsEachProcessAndHealthCountsTheServingReplicas() {
		ConfigurableApplicationContext context = Http.start(PoolApplication.class,
				"management.endpoints.web.exposure.include=vmworkers,health",
				"management.endpoint.health.show-details=always", Pools.PREFIX + "spares=1",
				// A killed replica stays down long enough to be seen.
				Pools.PREFIX + "restart.initial-backoff=20s", Pools.PREFIX + "restart.max-backoff=20s",
				"vmworkers.health.heartbeat-timeout=5s");
		try {
			Http http = Http.to(context);
			WorkerHandle handle = Pools.handle(context);
			List<Long> replicas = Pools.awaitReady(handle, 2, 1);
			long spare = Pools.pids(handle, ReplicaRole.SPARE).get(0);
			JsonNode worker = http.get("/actuator/vmworkers/" + Pools.NAME).json();
			JsonNode places = worker.path("replicas");
			assertThat(places.size()).isEqualTo(3);
			List<String> roles = new ArrayList<>();
			List<Long> pids = new ArrayList<>();
			places.forEach((place) -> {
				roles.add(place.path("role").asString());
				pids.add(place.path("pid").asLong());
				assertThat(place.path("state").asString()).isEqualTo("ready");
			});
			assertThat(roles).containsExactly("replica", "replica", "spare");
			assertThat(pids).containsExactly(replicas.get(0), replicas.get(1), spare);
			assertThat(places.get(1).path("index").asInt()).isOne();
			assertThat(worker.path("pid").asLong()).isEqualTo(replicas.get(0));

			JsonNode health = poolHealth(http);
			assertThat(health.path("status").asString()).isEqualTo("UP");
			assertThat(health.path("details").path("serving").asInt()).isEqualTo(2);
			assertThat(health.path("details").path("replicas").asInt()).isEqualTo(2);

			// The spare takes the killed replica's place, and a new spare starts in its own.
			kill(replicas.get(1));
			await().atMost(Pools.STARTS)
				.until(() -> Pools.place(handle, 1).pid() == spare && Pools.place(handle, 2).pid() != spare
						&& Pools.place(handle, 2).state() == WorkerState.READY);
			// With the new spare killed too (its place waits out the back-off), nothing can take over.
			kill(Pools.place(handle, 2).pid());
			await().atMost(Duration.ofSeconds(10)).until(() -> Pools.place(handle, 2).state() != WorkerState.READY);
			kill(replicas.get(0));
			// No spare left ready: replica 0 waits out its 20 s back-off, replica 1 serves alone.
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				JsonNode down = poolHealth(http);
				assertThat(down.path("status").asString()).isEqualTo("UP");
				assertThat(down.path("details").path("serving").asInt()).isOne();
			});
			JsonNode after = http.get("/actuator/vmworkers/" + Pools.NAME).json().path("replicas");
			assertThat(after.get(0).path("state").asString()).isEqualTo("restarting");
			assertThat(after.get(0).path("lastExit").path("pid").asLong()).isEqualTo(replicas.get(0));
			assertThat(after.get(1).path("pid").asLong()).isEqualTo(spare);
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

	private static void kill(long pid) {
		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
	}

	private static JsonNode poolHealth(Http http) {
		return http.get("/actuator/health").json().path("components").path("vmworkers").path("components").path(Pools.NAME);
	}

}

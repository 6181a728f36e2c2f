package io.vmworkers.it.readonly;

import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Http;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code management.endpoint.vmworkers.access=read-only} the endpoint reads but refuses to
 * restart or stop workers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadOnlyEndpointIntegrationTests {

	@Test
	void readOnlyEndpointRefusesWriteOperations() {
		try (ConfigurableApplicationContext context = Http.start(ReadOnlyApplication.class,
				"management.endpoints.web.exposure.include=vmworkers",
				"management.endpoint.vmworkers.access=read-only")) {
			Http http = Http.to(context);
			WorkerHandle ping = context.getBean(VmDispatcher.class).worker("pingTask");
			long pid = ping.pid();
			assertThat(http.get("/actuator/vmworkers/pingTask").json().path("pid").asLong()).isEqualTo(pid);
			assertThat(http.post("/actuator/vmworkers/pingTask", "{\"action\":\"stop\"}").status()).isEqualTo(405);
			assertThat(http.post("/actuator/vmworkers/pingTask", "{\"action\":\"restart\"}").status()).isEqualTo(405);
			assertThat(ping.state()).isEqualTo(WorkerState.READY);
			assertThat(ping.pid()).isEqualTo(pid);
			assertThat(ping.startCount()).isOne();
		}
		assertThat(Workers.children()).isEmpty();
		assertThat(Workers.leftovers()).isEmpty();
	}

}

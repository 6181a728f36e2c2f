package io.vmworkers.it.perprocess;

import java.util.concurrent.TimeUnit;

import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker builds its own beans in its own JVM: an in-memory database there is a second one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class PerProcessStateIntegrationTests {

	@Test
	void workerHasAnInMemoryDatabaseOfItsOwnAndSaysSo(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = Workers.start(PerProcessApplication.class);
		try {
			OrdersTask orders = context.getBean(OrdersTask.class);
			orders.addOnMaster(3);
			assertThat(orders.countOnMaster()).isEqualTo(3);
			// The worker's database is another one, in its own JVM: it has none of the master's rows.
			assertThat(orders.countOnWorker()).isZero();
			// Said once, by the worker: the master's own in-memory database is the application's business.
			assertThat(output.toString().split("started an in-memory database of its own", -1)).hasSize(2);
			assertThat(output).contains("Worker 'ordersTask' started an in-memory database of its own")
				.contains("jdbc:h2:mem:orders");
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

}

package io.vmworkers.it.early;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.it.support.WorkerProbe;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers launch before the beans are created, with settings bound early; a worker whose settings
 * change before the dispatcher binds them is launched again with the new ones.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EarlyLaunchIntegrationTests {

	@Test
	void workerWhoseSettingsChangedAfterTheEarlyLaunchIsLaunchedAgainWithTheNewOnes() {
		ConfigurableApplicationContext context = Workers.start(EarlyApplication.class);
		try {
			WorkerHandle handle = context.getBean(VmDispatcher.class).worker("pidTask");
			PidTask task = context.getBean(PidTask.class);
			List<Long> early = context.getBean(WorkerProbe.class).workersAtCreation();
			assertThat(early).hasSize(1).doesNotContain(handle.pid());
			assertThat(Workers.hasExited(early.get(0))).isTrue();
			assertThat(task.late()).isEqualTo("true");
			assertThat(task.pid()).isEqualTo(handle.pid());
			assertThat(WorkerProbe.workers()).containsExactly(handle.pid());
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

}

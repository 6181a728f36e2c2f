package io.vmworkers.it.early;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.master.DefaultVmDispatcher;
import io.vmworkers.dispatch.master.LaunchPlan;
import io.vmworkers.it.support.WorkerProbe;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers launch before the beans are created, from the launch plan made as soon as the bean
 * definitions are known; the dispatcher is made from that same plan and adopts the process: no
 * second binding, no second launch.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EarlyLaunchIntegrationTests {

	@Test
	void workerLaunchedEarlyIsAdoptedWithTheSettingsOfTheLaunchPlan() {
		ConfigurableApplicationContext context = Workers.start(EarlyApplication.class);
		try {
			WorkerHandle handle = context.getBean(VmDispatcher.class).worker("pidTask");
			PidTask task = context.getBean(PidTask.class);
			List<Long> early = context.getBean(WorkerProbe.class).workersAtCreation();
			assertThat(early).containsExactly(handle.pid());
			assertThat(task.pid()).isEqualTo(handle.pid());
			assertThat(handle.startCount()).isEqualTo(1);
			// The plan was made before the late post-processor added its property: it is not read again.
			assertThat(task.late()).isNull();
			assertThat(context.getBean(DefaultVmDispatcher.class).plan()).isSameAs(context.getBean(LaunchPlan.class));
			assertThat(WorkerProbe.workers()).containsExactly(handle.pid());
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

}

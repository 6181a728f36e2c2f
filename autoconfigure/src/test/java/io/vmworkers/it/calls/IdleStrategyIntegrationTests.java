package io.vmworkers.it.calls;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vmworkers.workers.<name>.idle} reaches the worker's JVM: a worker told to spin is never
 * woken for a call, one told to sleep is woken for nearly every call that comes after a pause.
 * The wake-ups are the master's count ({@code ChannelStatistics.wakeUpsOfWorker}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleStrategyIntegrationTests {

	private static final int CALLS = 20;

	@Test
	void aSpinningWorkerIsNeverWokenForACall() {
		assertThat(wakeUpsForPeriodicCalls("spin")).isZero();
	}

	@Test
	void aSleepingWorkerIsWokenForCallsAfterAPause() {
		assertThat(wakeUpsForPeriodicCalls("sleep")).isGreaterThanOrEqualTo(CALLS / 2);
	}

	private static long wakeUpsForPeriodicCalls(String idle) {
		ConfigurableApplicationContext context = Workers.start(CallsApplication.class,
				"vmworkers.workers.echoTask.idle=" + idle);
		try {
			EchoTask task = context.getBean(EchoTask.class);
			WorkerHandle worker = context.getBean(VmDispatcher.class).worker("echoTask");
			long before = worker.statistics().wakeUpsOfWorker();
			for (int i = 0; i < CALLS; i++) {
				// A periodic caller's pause, far longer than any spin after traffic: what the
				// worker does meanwhile is what is tested.
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
				assertThat(task.inc(i)).isEqualTo(i + 1);
			}
			return worker.statistics().wakeUpsOfWorker() - before;
		}
		finally {
			Workers.closeAndCheckNothingLeft(context);
		}
	}

}

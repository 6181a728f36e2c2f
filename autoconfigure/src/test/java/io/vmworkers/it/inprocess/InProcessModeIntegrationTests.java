package io.vmworkers.it.inprocess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vmworkers.codec.ClassNotAllowedException;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * In-process mode as a test author uses it: the task runs in this JVM, through the same channel,
 * codec and allow-list as a worker process.
 */
@SpringBootTest(properties = "vmworkers.mode=in-process")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InProcessModeIntegrationTests {

	@Autowired
	private PingPongTask task;

	@Autowired
	private VmDispatcher dispatcher;

	@Test
	void taskRunsInThisJvmWithNoProcessAndNoRingFile() {
		assertThat(this.task.greet()).isEqualTo(ProcessHandle.current().pid());
		assertThat(Workers.children()).isEmpty();
		assertThat(Workers.channelFiles()).isEmpty();
		WorkerHandle handle = this.dispatcher.worker("pingPongTask");
		assertThat(handle.state()).isEqualTo(WorkerState.READY);
		assertThat(handle.pid()).isEqualTo(ProcessHandle.current().pid());
	}

	@Test
	void callsRunOnTheWorkersThreadsNotTheCallers() {
		assertThat(this.task.callerThread()).isNotEqualTo(Thread.currentThread().getName())
			.startsWith("vmworkers-pingPongTask");
	}

	@Test
	void argumentsAndResultsAreCopiesThatCrossTheCodec() {
		Order order = new Order("bolts", 21);
		Order confirmed = this.task.confirm(order);
		assertThat(confirmed).isNotSameAs(order);
		assertThat(confirmed.getItem()).isEqualTo("bolts");
		assertThat(confirmed.getQuantity()).isEqualTo(42);
		assertThat(confirmed.isConfirmed()).isTrue();
		// The task changed its copy; the caller's object is as it was.
		assertThat(order.getQuantity()).isEqualTo(21);
		assertThat(order.isConfirmed()).isFalse();
	}

	@Test
	void classOutsideTheAllowListIsRefusedWithTheSameMessageAndTheChannelStaysUsable() {
		assertThatExceptionOfType(ClassNotAllowedException.class)
			.isThrownBy(() -> this.task.count(List.of(Thread.currentThread())))
			.withMessageContaining("class java.lang.Thread is not allowed on the channel");
		assertThat(this.task.count(List.of(1, "two"))).isEqualTo(2);
	}

	@Test
	void seedPingPongCountsRightWithOnDataOnAThreadOfItsOwn() {
		assertThat(this.task.run(1000)).isEqualTo(1999);
		assertThat(this.task.dataThread()).isNotNull()
			.isNotEqualTo(Thread.currentThread().getName())
			.startsWith("vmworkers-pingPongTask");
		// The last reply of the seed's loop is still on its way: it arrives as data.
		assertThat((Integer) this.dispatcher.worker("pingPongTask").channel().next(Duration.ofSeconds(10)))
			.isEqualTo(2001);
	}

	@Test
	void taskSeesTheMastersBeans() {
		assertThat(this.task.greeting("world")).isEqualTo("hello world");
	}

}

package io.vmworkers.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A master JVM of its own for the idle case: starts the calls group's master with its one worker,
 * makes a few calls, writes the file named by its argument, then does nothing until the suite
 * closes its input. Its whole JVM is what an idle application with one worker costs.
 */
public final class IdleMaster {

	private IdleMaster() {
	}

	public static void main(String[] args) throws Exception {
		ChildJvm.exitWithParent();
		// Halted when the suite ends: a worker writing a class data sharing archive would never finish it.
		ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS, "vmworkers.cds.enabled=false");
		EchoTask echo = context.getBean(EchoTask.class);
		for (int i = 0; i < 1000; i++) {
			echo.inc(i);
		}
		Files.writeString(Path.of(args[0]), Long.toString(context.getBean(io.vmworkers.dispatch.VmDispatcher.class)
			.worker("echoTask")
			.pid()));
		Thread.currentThread().join();
	}

}

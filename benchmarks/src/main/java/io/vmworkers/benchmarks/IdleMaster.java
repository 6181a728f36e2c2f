package io.vmworkers.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A master JVM of its own for the idle case: starts the calls group's master with its one worker
 * (or, with a second argument, that many worker processes: a pool), makes a few calls, writes the
 * file named by its first argument, then does nothing until the suite closes its input. Its whole
 * JVM is what an idle application with that many workers costs.
 */
public final class IdleMaster {

	private IdleMaster() {
	}

	public static void main(String[] args) throws Exception {
		ChildJvm.exitWithParent();
		// Halted when the suite ends: a worker writing a class data sharing archive would never finish it.
		String processes = (args.length > 1) ? args[1] : "1";
		ConfigurableApplicationContext context = Masters.start(BenchmarkApplication.CALLS, "vmworkers.cds.enabled=false",
				"vmworkers.workers.echoTask.replicas=" + processes);
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

package io.vmworkers.it.placement;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.master.RemoteLaunch;
import io.vmworkers.dispatch.master.WorkerPlacement;
import io.vmworkers.process.WorkerProcess;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class PlacementApplication {

	@Bean
	NearbyPlacement nearbyPlacement() {
		return new NearbyPlacement();
	}

	/**
	 * A placement that runs what it is given as a process of this machine, as a remote host would:
	 * the command as it comes, the master's address and the secret only in the environment.
	 */
	public static class NearbyPlacement implements WorkerPlacement {

		final List<RemoteLaunch> launches = new CopyOnWriteArrayList<>();

		@Override
		public String name() {
			return "nearby";
		}

		@Override
		public WorkerProcess start(String name, WorkerSettings settings, RemoteLaunch launch) throws IOException {
			this.launches.add(launch);
			ProcessBuilder builder = new ProcessBuilder(launch.command());
			builder.environment().putAll(launch.environment());
			builder.environment().put(RemoteLaunch.MASTER_ADDRESS_VARIABLE, "127.0.0.1:" + launch.masterPort());
			builder.environment().put(RemoteLaunch.SECRET_VARIABLE, launch.secret());
			return WorkerProcess.start(name, builder, (worker, error, line) -> {
			});
		}

	}

}

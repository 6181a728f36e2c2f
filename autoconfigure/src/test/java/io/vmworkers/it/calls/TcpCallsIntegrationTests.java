package io.vmworkers.it.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vmworkers.actuate.VmWorkersEndpoint;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test of {@link WorkerCallsIntegrationTests} again, with the worker on the TCP transport:
 * calls, data both ways, {@code @OnData}, messages larger than the ring, refused objects. The
 * worker has no ring file; its channel is a connection to the master's listener.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpCallsIntegrationTests extends WorkerCallsIntegrationTests {

	@Override
	String[] properties() {
		return new String[] { "vmworkers.workers.echoTask.transport=tcp", "spring.jmx.enabled=true",
				"management.endpoints.jmx.exposure.include=vmworkers" };
	}

	@Test
	@Override
	void channelFilesAreOwnerOnly() {
		// Nothing to protect: the worker's channel is a connection, not a file.
		assertThat(Workers.channelFiles()).isEmpty();
	}

	@Test
	void theWorkersChannelIsOneConnectionToTheMastersListener() throws IOException {
		long workerPid = context().getBean(VmDispatcher.class).worker("echoTask").pid();
		assertThat(establishedTo(workerPid, listenerPort())).hasSize(1);
		assertThat(Workers.channelFiles(ProcessHandle.current().pid())).isEmpty();
	}

	@Test
	void theEndpointShowsTheTransportAndWhereTheMasterListens() {
		VmWorkersEndpoint.WorkersDescriptor workers = context().getBean(VmWorkersEndpoint.class).workers();
		assertThat(workers.tcpAddress()).isEqualTo("127.0.0.1:" + listenerPort());
		assertThat(workers.workers()).singleElement()
			.satisfies((worker) -> assertThat(worker.channel().transport()).isEqualTo("tcp"));
	}

	/** The sockets of a process connected to a port: its socket inodes found in the kernel's tables. */
	private static List<String> establishedTo(long pid, int port) throws IOException {
		Set<String> inodes = new HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
			for (Path fd : fds.toList()) {
				String target = Files.readSymbolicLink(fd).toString();
				if (target.startsWith("socket:[")) {
					inodes.add(target.substring(8, target.length() - 1));
				}
			}
		}
		List<String> connections = new ArrayList<>();
		for (String table : List.of("tcp", "tcp6")) {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table))) {
				String[] fields = line.trim().split("\\s+");
				// rem_address ends with the port in hex; st 01 is ESTABLISHED; the inode is field 9.
				if (fields.length > 9 && fields[2].endsWith(String.format(":%04X", port)) && "01".equals(fields[3])
						&& inodes.contains(fields[9])) {
					connections.add(line);
				}
			}
		}
		return connections;
	}

	private static int listenerPort() {
		return context().getBean(io.vmworkers.dispatch.master.DefaultVmDispatcher.class)
			.plan()
			.tcp()
			.address()
			.getPort();
	}

}

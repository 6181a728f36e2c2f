package io.vmworkers.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import javax.net.SocketFactory;

import io.vmworkers.channel.tcp.TcpChannel;
import io.vmworkers.protocol.LaunchParameters;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * How a worker on the TCP transport connects to its master: the address and launch id from its
 * launch parameters, the secret from its environment, TLS from the SSL bundle its master names,
 * defined in the application's configuration that master and worker share.
 */
final class MasterDial {

	/** How long the connection and its handshake may take. */
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private MasterDial() {
	}

	/**
	 * Connects to the master and proves this worker's launch.
	 * @param environment the worker's environment
	 * @param spin how long a reader spins before it sleeps
	 * @param bundles the SSL bundles, asked for when the connection uses one
	 * @return the connection
	 * @throws IOException when the master cannot be reached or refuses
	 */
	static TcpChannel dial(Environment environment, Duration spin, Supplier<SslBundles> bundles) throws IOException {
		String address = environment.getRequiredProperty(LaunchParameters.MASTER_ADDRESS_PROPERTY);
		String secret = System.getenv(LaunchParameters.TOKEN_VARIABLE);
		if (secret == null || secret.isEmpty()) {
			throw new IllegalStateException("worker on the TCP transport without its secret: the environment variable "
					+ LaunchParameters.TOKEN_VARIABLE + " is not set (a worker is started by its master, which sets it)");
		}
		String bundle = environment.getProperty(LaunchParameters.SSL_BUNDLE_PROPERTY);
		// The worker trusts the master's certificate through the bundle's trust store.
		SocketFactory sockets = (bundle != null)
				? VmWorkersProperties.sslContext(bundles.get(), bundle, "vmworkers.transport.tcp.ssl.bundle").getSocketFactory()
				: SocketFactory.getDefault();
		return TcpChannel.dial(parse(address), sockets,
				environment.getRequiredProperty(LaunchParameters.LAUNCH_ID_PROPERTY),
				secret.getBytes(StandardCharsets.UTF_8), CONNECT_TIMEOUT,
				environment.getRequiredProperty(LaunchParameters.CAPACITY_PROPERTY, Integer.class), spin.toNanos());
	}

	/**
	 * Parses {@code host:port}, the host possibly an IPv6 address in brackets.
	 */
	static InetSocketAddress parse(String address) {
		int colon = address.lastIndexOf(':');
		if (colon <= 0 || colon == address.length() - 1) {
			throw new IllegalArgumentException("not host:port: '" + address + "' ("
					+ LaunchParameters.MASTER_ADDRESS_PROPERTY + ")");
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
	}

}

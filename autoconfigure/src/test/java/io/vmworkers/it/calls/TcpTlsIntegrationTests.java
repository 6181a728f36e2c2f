package io.vmworkers.it.calls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocket;

import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker on TCP with {@code vmworkers.transport.tcp.ssl.bundle}: its connection is TLS with the
 * bundle's key, which the worker trusts through the bundle's trust store (both defined in the
 * 'tls' profile's properties, which master and worker share), and calls and data work over it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpTlsIntegrationTests {

	private ConfigurableApplicationContext context;

	@BeforeAll
	void start() {
		String[] properties = Stream.concat(Stream.of("spring.profiles.active=tls", "vmworkers.workers.echoTask.transport=tcp",
				"vmworkers.transport.tcp.ssl.bundle=workers"), Stream.of(properties())).toArray(String[]::new);
		this.context = Workers.start(CallsApplication.class, properties);
	}

	/** More of the master's properties: none here, the worker's context in a subclass. */
	String[] properties() {
		return new String[0];
	}

	@AfterAll
	void stop() {
		Workers.closeAndCheckNothingLeft(this.context);
	}

	@Test
	void callsAndDataCrossTheEncryptedConnection() {
		EchoTask task = this.context.getBean(EchoTask.class);
		assertThat(task.inc(41)).isEqualTo(42);
		var channel = this.context.getBean(VmDispatcher.class).worker("echoTask").channel();
		channel.put("over tls");
		assertThat((String) channel.next(Duration.ofSeconds(30))).isEqualTo("over tls!");
	}

	@Test
	void theListenerSpeaksTlsWithTheBundlesCertificate() throws IOException {
		InetSocketAddress address = this.context.getBean(VmDispatcher.class).tcpAddress();
		SslBundles bundles = this.context.getBean(SslBundles.class);
		try (SSLSocket socket = (SSLSocket) bundles.getBundle("workers")
			.createSslContext()
			.getSocketFactory()
			.createSocket(address.getAddress(), address.getPort())) {
			socket.startHandshake();
			X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=vmworkers test master");
		}
	}

	@Test
	void aPlainConnectionIsNeverAccepted() throws IOException {
		InetSocketAddress address = this.context.getBean(VmDispatcher.class).tcpAddress();
		try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
			socket.setSoTimeout(20_000);
			// The plain handshake's first words: a TLS server takes them for a broken hello and closes.
			socket.getOutputStream().write(new byte[] { 0x56, 0x4D, 0x57, 0x54, 0, 0, 0, 1, 0, 1, 'x' });
			socket.getOutputStream().flush();
			int received = 0;
			try {
				while (socket.getInputStream().read() >= 0) {
					received++;
				}
			}
			catch (IOException ex) {
				// Reset by the listener: refused all the same.
			}
			// A TLS alert at most, never the 32-byte challenge that follows an accepted hello.
			assertThat(received).isLessThan(32);
		}
		assertThat(this.context.getBean(EchoTask.class).inc(1)).isEqualTo(2);
	}

}

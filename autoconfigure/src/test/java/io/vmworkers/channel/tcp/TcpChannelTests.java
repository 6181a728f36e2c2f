package io.vmworkers.channel.tcp;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;

import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.ChannelCorruptedException;
import io.vmworkers.channel.ChannelFullException;
import io.vmworkers.channel.SharedRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Both sides of a TCP channel in this JVM, over a real loopback connection: the master's side
 * awaiting the connection behind a {@link TcpListener}, the worker's side dialing it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpChannelTests {

	private static final int CAPACITY = 64 * 1024;

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private final List<AutoCloseable> closing = new ArrayList<>();

	private final TcpListener listener = TcpListener.listen(InetAddress.getLoopbackAddress(), 0,
			ServerSocketFactory.getDefault(), Duration.ofSeconds(5));

	TcpChannelTests() throws IOException {
	}

	@AfterEach
	void close() throws Exception {
		this.listener.close();
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	@Test
	void framesCrossBothWaysWholeAndInOrderAMessageLargerThanTheRingIncluded() throws IOException {
		TcpChannel master = expect("robot-1");
		TcpChannel worker = dial("robot-1", SECRET);
		byte[] large = new byte[3 * CAPACITY + 17];
		new Random(7).nextBytes(large);
		worker.outbound().write(5, 42, "ready".getBytes(StandardCharsets.UTF_8), 0, 5, SECOND);
		worker.outbound().write(4, 0, large, 0, large.length, SECOND);
		assertThat(readOne(master.inbound(), large.length)).isEqualTo(new Received(5, 42, "ready".getBytes()));
		assertThat(readOne(master.inbound(), large.length)).isEqualTo(new Received(4, 0, large));
		master.outbound().write(1, 7, new byte[] { 1, 2, 3 }, 1, 2, SECOND);
		assertThat(readOne(worker.inbound(), 16)).isEqualTo(new Received(1, 7, new byte[] { 2, 3 }));
		assertThat(master.outbound().statistics().messagesWritten()).isEqualTo(1);
		assertThat(worker.outbound().statistics().bytesWritten()).isEqualTo(5 + large.length);
	}

	@Test
	void aBeatCrossesWithoutAFrameAndWakesNoReader() throws IOException {
		TcpChannel master = expect("robot-1");
		TcpChannel worker = dial("robot-1", SECRET);
		worker.outbound().publishBeat(10, 20, 30);
		await().atMost(Duration.ofSeconds(10)).until(() -> master.inbound().readBeat() != null);
		assertThat(master.inbound().readBeat()).containsExactly(1, 10, 20, 30);
		assertThat(master.inbound().hasData()).isFalse();
	}

	@Test
	void aWrongSecretIsRefusedAndLeavesTheLaunchToItsWorker() throws IOException {
		TcpChannel master = expect("robot-1");
		assertThatIOException().isThrownBy(() -> dial("robot-1", "ffffffffffffffffffffffffffffffff"))
			.withMessageContaining("refused launch 'robot-1'");
		TcpChannel worker = dial("robot-1", SECRET);
		worker.outbound().write(5, 1, new byte[0], 0, 0, SECOND);
		assertThat(readOne(master.inbound(), 16).type()).isEqualTo(5);
	}

	@Test
	void aLaunchNotExpectedIsRefused() {
		expect("robot-1");
		assertThatIOException().isThrownBy(() -> dial("robot-2", SECRET)).withMessageContaining("refused launch 'robot-2'");
	}

	@Test
	void aConnectedLaunchCannotBeTakenOverByASecondConnection() throws IOException {
		TcpChannel master = expect("robot-1");
		dial("robot-1", SECRET);
		assertThatIOException().isThrownBy(() -> dial("robot-1", SECRET)).withMessageContaining("refused");
		assertThat(master.remoteAddress()).isNotNull();
	}

	@Test
	void aForgottenLaunchIsRefused() {
		expect("robot-1");
		this.listener.forget("robot-1");
		assertThatIOException().isThrownBy(() -> dial("robot-1", SECRET));
	}

	@Test
	void theOtherSideClosingIsToldAfterWhatItSentBeforeIsRead() throws Exception {
		TcpChannel master = expect("robot-1");
		TcpChannel worker = dial("robot-1", SECRET);
		CompletableFuture<RuntimeException> gone = new CompletableFuture<>();
		master.whenGone(gone::complete);
		for (int i = 0; i < 3; i++) {
			worker.outbound().write(4, i, new byte[] { (byte) i }, 0, 1, SECOND);
		}
		worker.close();
		for (int i = 0; i < 3; i++) {
			assertThat(readOne(master.inbound(), 16).correlationId()).isEqualTo(i);
		}
		assertThat(gone.get(10, TimeUnit.SECONDS)).isInstanceOf(ChannelClosedException.class)
			.hasMessageContaining("closed by the other side");
	}

	@Test
	void aCorruptRecordEndsTheConnectionAsCorrupt() throws Exception {
		TcpChannel master = expect("robot-1");
		CompletableFuture<RuntimeException> gone = new CompletableFuture<>();
		master.whenGone(gone::complete);
		Socket socket = new Socket();
		this.closing.add(socket);
		socket.connect(this.listener.address());
		Handshake.claim(socket, "robot-1", SECRET.getBytes(StandardCharsets.UTF_8));
		DataOutputStream out = new DataOutputStream(socket.getOutputStream());
		// A header whose checksum does not match.
		out.writeInt(0);
		out.writeInt(5);
		out.writeLong(0);
		out.writeLong(0);
		out.writeInt(0);
		out.writeInt(12345);
		out.flush();
		assertThat(gone.get(10, TimeUnit.SECONDS)).isInstanceOf(ChannelCorruptedException.class)
			.hasMessageContaining("checksum");
		assertThat(master.inbound().hasData()).isFalse();
	}

	@Test
	void aWriterWaitsForTheConnectionWithinItsTimeout() {
		TcpChannel master = expect("robot-1");
		assertThatExceptionOfType(ChannelFullException.class)
			.isThrownBy(() -> master.outbound().write(1, 1, new byte[0], 0, 0, TimeUnit.MILLISECONDS.toNanos(50)))
			.withMessageContaining("not connected");
	}

	@Test
	void aLaunchWhoseChannelClosesBeforeItsWorkerConnectsIsExpectedNoMore() {
		expect("robot-1").close();
		assertThatIOException().isThrownBy(() -> dial("robot-1", SECRET)).withMessageContaining("refused");
	}

	@Test
	void closingWhereALinkWritesEndsTheConnectionForTheOtherSide() throws Exception {
		TcpChannel master = expect("robot-1");
		TcpChannel worker = dial("robot-1", SECRET);
		CompletableFuture<RuntimeException> gone = new CompletableFuture<>();
		worker.whenGone(gone::complete);
		// What a link closes: its sink and its ring; the socket goes with them.
		master.outbound().close();
		assertThat(gone.get(10, TimeUnit.SECONDS)).hasMessageContaining("closed by the other side");
	}

	@Test
	void aWriteAfterCloseFailsAsClosed() throws IOException {
		expect("robot-1");
		TcpChannel worker = dial("robot-1", SECRET);
		worker.close();
		assertThatExceptionOfType(ChannelClosedException.class)
			.isThrownBy(() -> worker.outbound().write(1, 1, new byte[0], 0, 0, SECOND));
	}

	@Test
	void overTlsAWorkerConnectsWhenItTrustsTheMastersCertificateAndIsRefusedOtherwise() throws IOException {
		SSLContext master = tls(PemSslStoreDetails.forCertificate("classpath:tls/workers-cert.pem")
			.withPrivateKey("classpath:tls/workers-key.pem"), null);
		SSLContext trusting = tls(null, PemSslStoreDetails.forCertificate("classpath:tls/workers-cert.pem"));
		SSLContext trustingAnother = tls(null, PemSslStoreDetails.forCertificate("classpath:tls/other-cert.pem"));
		try (TcpListener secure = TcpListener.listen(InetAddress.getLoopbackAddress(), 0,
				master.getServerSocketFactory(), Duration.ofSeconds(5))) {
			TcpChannel masterSide = TcpChannel.awaitingConnection("test tls", CAPACITY, 0);
			this.closing.add(masterSide::close);
			secure.expect("robot-1", SECRET, masterSide);
			byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
			assertThatIOException().isThrownBy(() -> TcpChannel.dial(secure.address(),
					trustingAnother.getSocketFactory(), "robot-1", secret, Duration.ofSeconds(5), CAPACITY, 0));
			TcpChannel worker = TcpChannel.dial(secure.address(), trusting.getSocketFactory(), "robot-1", secret,
					Duration.ofSeconds(5), CAPACITY, 0);
			this.closing.add(worker::close);
			worker.outbound().write(5, 9, new byte[] { 1 }, 0, 1, SECOND);
			assertThat(readOne(masterSide.inbound(), 16)).isEqualTo(new Received(5, 9, new byte[] { 1 }));
		}
	}

	private static SSLContext tls(PemSslStoreDetails key, PemSslStoreDetails trust) {
		return SslBundle.of(new PemSslStoreBundle(key, trust)).createSslContext();
	}

	private TcpChannel expect(String launchId) {
		TcpChannel channel = TcpChannel.awaitingConnection("test " + launchId, CAPACITY, 0);
		this.closing.add(channel::close);
		this.listener.expect(launchId, SECRET, channel);
		return channel;
	}

	private TcpChannel dial(String launchId, String secret) throws IOException {
		InetSocketAddress address = this.listener.address();
		TcpChannel channel = TcpChannel.dial(address, SocketFactory.getDefault(), launchId,
				secret.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), CAPACITY, 0);
		this.closing.add(channel::close);
		return channel;
	}

	private static Received readOne(SharedRing ring, int maxLength) {
		ring.limitMessageLength(Math.max(maxLength, 16));
		List<Received> received = new ArrayList<>();
		long deadline = System.nanoTime() + 10 * SECOND;
		while (received.isEmpty() && System.nanoTime() < deadline) {
			if (ring.awaitData(SECOND)) {
				ring.read((type, correlationId, buffer, offset, length) -> received
					.add(new Received(type, correlationId, java.util.Arrays.copyOfRange(buffer, offset, offset + length))), 1);
			}
		}
		assertThat(received).as("a message within 10 s").hasSize(1);
		return received.get(0);
	}

	private record Received(int type, long correlationId, byte[] payload) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Received that && this.type == that.type && this.correlationId == that.correlationId
					&& java.util.Arrays.equals(this.payload, that.payload);
		}

		@Override
		public int hashCode() {
			return java.util.Objects.hash(this.type, this.correlationId, java.util.Arrays.hashCode(this.payload));
		}

	}

}

package io.vmworkers.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.vmworkers.annotation.OnData;
import io.vmworkers.channel.ChannelClosedException;
import io.vmworkers.channel.SharedRing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Byte arrays delivered from a real ring: read in place by a {@code ByteBuffer} handler, copied
 * for anything that keeps them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReceivedBytesTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	/** Larger than twice the ring's first read array (256 bytes), so the array is made this long. */
	private static final int FRAME_LENGTH = 4096;

	private final Path file = Path.of("/dev/shm", "vmworkers-test-bytes-" + UUID.randomUUID());

	private final ChannelEnd end = new ChannelEnd("test", () -> {
	}, () -> {
		throw new ChannelClosedException("not connected");
	});

	/** The arrays the ring delivered from, one per message. */
	private final List<byte[]> ringBuffers = new ArrayList<>();

	private SharedRing producer;

	private SharedRing consumer;

	@BeforeEach
	void createRing() throws IOException {
		this.producer = SharedRing.create(this.file, 64 * 1024, 0);
		this.consumer = SharedRing.attach(this.file, 0);
	}

	@AfterEach
	void deleteRing() throws IOException {
		this.producer.close();
		this.consumer.close();
		Files.deleteIfExists(this.file);
	}

	@Test
	void byteBufferHandlerReadsEachMessageInTheRingsBufferReadOnly() {
		Views views = new Views();
		this.end.handlers(DataHandlers.of(views, Views.class, false));
		send(frame('a'));
		send(frame('b'));
		send("");
		deliverAll();
		assertThat(views.received).containsExactly(frame('a'), frame('b'), "");
		assertThat(views.readOnly).containsOnly(true);
		// Nothing was kept: the ring read every message into the same array (a message that fills
		// the ring's array exactly would be handed over to a byte[] handler, see below).
		assertThat(this.ringBuffers).hasSize(3);
		assertThat(this.ringBuffers.get(1)).isSameAs(this.ringBuffers.get(0));
		assertThat(this.ringBuffers.get(2)).isSameAs(this.ringBuffers.get(0));
	}

	@Test
	void byteArrayHandlerGetsArraysOfItsOwn() {
		Arrays arrays = new Arrays();
		this.end.handlers(DataHandlers.of(arrays, Arrays.class, false));
		send(frame('a'));
		send(frame('b'));
		send("small");
		deliverAll();
		assertThat(arrays.received).hasSize(3);
		assertThat(text(arrays.received.get(0))).isEqualTo(frame('a'));
		assertThat(text(arrays.received.get(1))).isEqualTo(frame('b'));
		assertThat(text(arrays.received.get(2))).isEqualTo("small");
		// The first array was handed over, so the ring read the second into a new one.
		assertThat(this.ringBuffers.get(1)).isNotSameAs(this.ringBuffers.get(0));
	}

	@Test
	void bytesHeldBeforeTheHandlersAreKnownAreCopiedBeforeTheRingReusesItsBuffer() {
		this.end.hold();
		send(frame('c'));
		send(frame('d'));
		deliverAll();
		Views views = new Views();
		this.end.handlers(DataHandlers.of(views, Views.class, false));
		this.end.release();
		assertThat(views.received).containsExactly(frame('c'), frame('d'));
	}

	@Test
	void bytesNoMethodTakesWaitForNextAsArraysOfTheirOwn() {
		this.end.handlers(DataHandlers.of(new Object(), Object.class, false));
		send(frame('e'));
		send(frame('f'));
		deliverAll();
		assertThat(text(this.end.poll())).isEqualTo(frame('e'));
		assertThat(text(this.end.poll())).isEqualTo(frame('f'));
	}

	@Test
	void aTaskTakingByteArraysTwoWaysIsRefusedWithTheFix() {
		assertThatIllegalStateException().isThrownBy(() -> DataHandlers.of(new Both(), Both.class, false))
			.withMessageContaining("both take byte arrays; keep one")
			.withMessageContaining("ByteBuffer parameter reads them where they arrived");
	}

	/** A message as long as the ring's read array will be. */
	private static String frame(char letter) {
		return String.valueOf(letter).repeat(FRAME_LENGTH);
	}

	private void send(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		this.producer.write(Frames.BYTES, 0, bytes, 0, bytes.length, SECOND);
	}

	private void deliverAll() {
		this.consumer.read((type, id, buffer, offset, length) -> {
			this.ringBuffers.add(buffer);
			this.end.receive(new ReceivedBytes(this.consumer, buffer, offset, length));
		}, 100);
	}

	private static String text(Object bytes) {
		return new String((byte[]) bytes, StandardCharsets.UTF_8);
	}

	static class Views {

		final List<String> received = new ArrayList<>();

		final List<Boolean> readOnly = new ArrayList<>();

		@OnData
		void frame(ByteBuffer frame) {
			this.readOnly.add(frame.isReadOnly());
			byte[] copy = new byte[frame.remaining()];
			frame.get(copy);
			this.received.add(new String(copy, StandardCharsets.UTF_8));
		}

	}

	static class Arrays {

		final List<byte[]> received = new ArrayList<>();

		@OnData
		void frame(byte[] frame) {
			this.received.add(frame);
		}

	}

	static class Both {

		@OnData
		void array(byte[] frame) {
		}

		@OnData
		void view(ByteBuffer frame) {
		}

	}

}

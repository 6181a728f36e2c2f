package io.vmworkers.channel;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process's view of a ring file, for tests that corrupt a live channel from outside.
 */
public final class ForeignWriter {

	private ForeignWriter() {
	}

	/**
	 * Moves a ring's tail past bytes that were never written, and wakes its sleeping reader so that
	 * it reads them before the producer publishes its own tail again.
	 * @param ring the ring file
	 * @param beyondHead how far past the reader's head the tail goes
	 * @throws IOException when the file cannot be mapped
	 */
	public static void moveTailAndWakeReader(Path ring, long beyondHead) throws IOException {
		try (FileChannel channel = FileChannel.open(ring, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			MappedByteBuffer control = channel.map(FileChannel.MapMode.READ_WRITE, 0, RingDescriptor.CONTROL_LENGTH);
			control.order(ByteOrder.nativeOrder());
			long head = control.getLong(RingDescriptor.HEAD_OFFSET);
			control.putLong(RingDescriptor.TAIL_OFFSET, head + beyondHead);
			control.putInt(RingDescriptor.DATA_SEQUENCE_OFFSET, control.getInt(RingDescriptor.DATA_SEQUENCE_OFFSET) + 1);
			Futex.wakeAll(Futex.address(control) + RingDescriptor.DATA_SEQUENCE_OFFSET);
		}
	}

}

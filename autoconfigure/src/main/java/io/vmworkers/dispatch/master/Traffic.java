package io.vmworkers.dispatch.master;

import io.vmworkers.channel.FrameSink;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.protocol.Link;

/**
 * Messages and bytes that went through a process's rings, counted from its start.
 * @param messagesOut messages the master wrote
 * @param bytesOut their bytes
 * @param messagesIn messages the master read
 * @param bytesIn their bytes
 * @param wakeUpsOut times the master woke the worker from its sleep
 */
record Traffic(long messagesOut, long bytesOut, long messagesIn, long bytesIn, long wakeUpsOut) {

	static final Traffic NONE = new Traffic(0, 0, 0, 0, 0);

	static Traffic of(ProcessConnection connection) {
		Link link = (connection != null) ? connection.link() : null;
		if (link == null) {
			return NONE;
		}
		FrameSink out = link.outbound();
		SharedRing in = link.inbound();
		return new Traffic(out.statistics().messagesWritten(), out.statistics().bytesWritten(),
				in.statistics().messagesRead(), in.statistics().bytesRead(), out.statistics().wakeUps());
	}

	Traffic plus(Traffic other) {
		return new Traffic(this.messagesOut + other.messagesOut, this.bytesOut + other.bytesOut,
				this.messagesIn + other.messagesIn, this.bytesIn + other.bytesIn, this.wakeUpsOut + other.wakeUpsOut);
	}

	Traffic minus(Traffic other) {
		return new Traffic(this.messagesOut - other.messagesOut, this.bytesOut - other.bytesOut,
				this.messagesIn - other.messagesIn, this.bytesIn - other.bytesIn, this.wakeUpsOut - other.wakeUpsOut);
	}

}

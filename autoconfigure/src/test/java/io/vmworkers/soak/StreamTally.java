package io.vmworkers.soak;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts one direction of one worker's stream. Objects carry a sequence number that goes on across
 * worker processes; a connection lifetime is one worker process (its pid). Within one, objects must
 * arrive exactly once and in order, without a gap; objects missing between two connections were in
 * flight at a kill.
 */
final class StreamTally {

	private static final int MAX_ANOMALIES = 5;

	private final BitSet seen = new BitSet();

	/** First and last sequence number received per connection, in the order connections began. */
	private final Map<Long, long[]> connections = new LinkedHashMap<>();

	private long sent;

	private long received;

	private long duplicated;

	private long outOfOrder;

	private long corrupt;

	private long failedAtKill;

	private long refusedWhileDown;

	private long failedWrongly;

	/** The first few anomalies, described, for the log. */
	private final List<String> anomalies = new ArrayList<>();

	private long highest = -1;

	private long highestPid = -1;

	synchronized void sent(long count) {
		this.sent += count;
	}

	/**
	 * Counts a put (or emit call) that threw.
	 * @param atKill whether it overlapped a kill of its worker
	 * @param workerDown whether its worker was not ready, or had been replaced, when it threw
	 * @param failure what it threw
	 */
	synchronized void sendFailed(boolean atKill, boolean workerDown, Throwable failure) {
		if (atKill) {
			this.failedAtKill++;
		}
		else if (workerDown) {
			this.refusedWhileDown++;
		}
		else {
			this.failedWrongly++;
			anomaly("send failed: " + failure);
		}
	}

	private void anomaly(String description) {
		if (this.anomalies.size() < MAX_ANOMALIES) {
			this.anomalies.add(description);
		}
	}

	synchronized List<String> anomalies() {
		return List.copyOf(this.anomalies);
	}

	synchronized void received(long seq, long pid, boolean intact) {
		if (!intact) {
			this.corrupt++;
		}
		if (this.seen.get((int) seq)) {
			this.duplicated++;
			return;
		}
		this.seen.set((int) seq);
		this.received++;
		// One thread puts each stream in order, and a later connection only gets later objects.
		if (seq < this.highest) {
			this.outOfOrder++;
			anomaly("seq " + seq + " (pid " + pid + ") after seq " + this.highest + " (pid " + this.highestPid + ")");
		}
		else {
			this.highest = seq;
			this.highestPid = pid;
		}
		long[] range = this.connections.computeIfAbsent(pid, (key) -> new long[] { seq, seq });
		range[0] = Math.min(range[0], seq);
		range[1] = Math.max(range[1], seq);
	}

	/** Received plus duplicated: whatever arrived, to tell when the stream has drained. */
	synchronized long arrivals() {
		return this.received + this.duplicated;
	}

	/**
	 * Sorts what is missing: inside a connection's range (lost, and not at a kill), after the last
	 * object received (lost at the end, when no kill was going on), or between connections (in flight
	 * at a kill).
	 * @return the summary
	 */
	synchronized Summary summary() {
		long lostInside = 0;
		long lostAtEnd = 0;
		long lastReceived = this.seen.length() - 1;
		for (int seq = this.seen.nextClearBit(0); seq < this.sent; seq = this.seen.nextClearBit(seq + 1)) {
			if (seq > lastReceived) {
				lostAtEnd++;
				anomaly("seq " + seq + " lost after the last object received (seq " + lastReceived + ")");
			}
			else if (insideConnection(seq)) {
				lostInside++;
				anomaly("seq " + seq + " lost inside the connection of pid " + connectionOf(seq));
			}
		}
		long lostAtKill = this.sent - this.received - lostInside - lostAtEnd;
		return new Summary(this.sent, this.received, lostAtKill, lostInside + lostAtEnd, this.outOfOrder,
				this.duplicated, this.corrupt, this.failedAtKill, this.refusedWhileDown, this.failedWrongly,
				this.connections.size());
	}

	private long connectionOf(long seq) {
		return this.connections.entrySet()
			.stream()
			.filter((entry) -> seq > entry.getValue()[0] && seq < entry.getValue()[1])
			.mapToLong(Map.Entry::getKey)
			.findFirst()
			.orElse(-1);
	}

	private boolean insideConnection(long seq) {
		return this.connections.values().stream().anyMatch((range) -> seq > range[0] && seq < range[1]);
	}

	/**
	 * One direction's counts at the end.
	 * @param sent objects put (or asked for), including those whose put failed
	 * @param received distinct objects received
	 * @param lostAtKill missing between two connections: in flight at a kill
	 * @param lostOtherwise missing inside a connection or at the end: must be 0
	 * @param outOfOrder received after a later one: must be 0
	 * @param duplicated received again: must be 0
	 * @param corrupt received with a wrong payload: must be 0
	 * @param sendsFailedAtKill puts (or emit calls) that failed while a kill was in flight
	 * @param sendsRefusedWhileDown puts (or emit calls) that failed while their worker was not ready
	 * (a put waits for a restarting worker as a call does, so only one that failed refuses)
	 * @param sendsFailedWrongly puts (or emit calls) that failed otherwise: must be 0
	 * @param connections worker processes that received (or sent) objects
	 */
	record Summary(long sent, long received, long lostAtKill, long lostOtherwise, long outOfOrder, long duplicated,
			long corrupt, long sendsFailedAtKill, long sendsRefusedWhileDown, long sendsFailedWrongly,
			long connections) {

		void addTo(Map<String, Long> report, String prefix) {
			report.merge(prefix + ".sent", this.sent, Long::sum);
			report.merge(prefix + ".received", this.received, Long::sum);
			report.merge(prefix + ".lostAtKill", this.lostAtKill, Long::sum);
			report.merge(prefix + ".lostOtherwise", this.lostOtherwise, Long::sum);
			report.merge(prefix + ".outOfOrder", this.outOfOrder, Long::sum);
			report.merge(prefix + ".duplicated", this.duplicated, Long::sum);
			report.merge(prefix + ".corrupt", this.corrupt, Long::sum);
			report.merge(prefix + ".sendsFailedAtKill", this.sendsFailedAtKill, Long::sum);
			report.merge(prefix + ".sendsRefusedWhileDown", this.sendsRefusedWhileDown, Long::sum);
			report.merge(prefix + ".sendsFailedWrongly", this.sendsFailedWrongly, Long::sum);
			report.merge(prefix + ".connections", this.connections, Long::sum);
		}

	}

}

package io.vmworkers.it.debug;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The least of a debugger: the JDWP handshake, and the command that resumes a suspended JVM. */
final class Jdwp implements AutoCloseable {

	private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);

	/** Command set VirtualMachine (1), command Resume (9). */
	private static final int VIRTUAL_MACHINE = 1;

	private static final int RESUME = 9;

	private final Socket socket;

	private final DataInputStream in;

	private final DataOutputStream out;

	private Jdwp(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(10_000);
		this.in = new DataInputStream(socket.getInputStream());
		this.out = new DataOutputStream(socket.getOutputStream());
	}

	/**
	 * Connects to a JVM's JDWP port on the loopback interface and shakes hands.
	 * @param port the port
	 * @return the session
	 * @throws IOException when nothing listens or the other side does not answer as JDWP does
	 */
	static Jdwp attach(int port) throws IOException {
		Jdwp session = new Jdwp(new Socket(InetAddress.getLoopbackAddress(), port));
		session.out.write(HANDSHAKE);
		session.out.flush();
		byte[] answer = new byte[HANDSHAKE.length];
		session.in.readFully(answer);
		if (!new String(answer, StandardCharsets.US_ASCII).equals("JDWP-Handshake")) {
			session.close();
			throw new IOException("not a JDWP answer: " + new String(answer, StandardCharsets.US_ASCII));
		}
		return session;
	}

	/**
	 * Resumes every thread of the JVM and waits for its reply.
	 * @throws IOException when the reply is an error
	 */
	void resume() throws IOException {
		int id = 1;
		this.out.writeInt(11);
		this.out.writeInt(id);
		this.out.writeByte(0);
		this.out.writeByte(VIRTUAL_MACHINE);
		this.out.writeByte(RESUME);
		this.out.flush();
		// Events (a VM start event with suspend) may come before the reply: skip them.
		while (true) {
			int length = this.in.readInt();
			int packetId = this.in.readInt();
			int flags = this.in.readByte();
			short errorOrCommand = this.in.readShort();
			this.in.skipNBytes(length - 11);
			if ((flags & 0x80) != 0 && packetId == id) {
				if (errorOrCommand != 0) {
					throw new IOException("JDWP resume failed with error " + errorOrCommand);
				}
				return;
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}

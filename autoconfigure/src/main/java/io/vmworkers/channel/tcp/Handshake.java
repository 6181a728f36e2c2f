package io.vmworkers.channel.tcp;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a worker proves, on a new connection, that it is the launch it claims to be, before any frame
 * is accepted: a challenge-response over the secret its master gave that launch, which never
 * crosses the connection.
 *
 * <pre>
 *  worker -> master  magic "VMWT" (int), version (int), launch id (modified UTF-8)
 *  master -> worker  challenge: 32 random bytes
 *  worker -> master  HMAC-SHA256(secret, challenge || launch id): 32 bytes
 *  master -> worker  1 (accepted), or the connection closes
 * </pre>
 *
 * A fresh challenge per connection means a recorded answer is worth nothing on another one.
 */
final class Handshake {

	static final int MAGIC = 0x564D5754;

	static final int VERSION = 1;

	static final int CHALLENGE_LENGTH = 32;

	private static final String ALGORITHM = "HmacSHA256";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int ACCEPTED = 1;

	private Handshake() {
	}

	/**
	 * The worker's side: claims a launch and answers the challenge.
	 * @param socket the connection to the master
	 * @param launchId the launch claimed
	 * @param secret the launch's secret
	 * @throws IOException when the master refuses or the connection fails
	 */
	static void claim(Socket socket, String launchId, byte[] secret) throws IOException {
		DataOutputStream out = new DataOutputStream(socket.getOutputStream());
		DataInputStream in = new DataInputStream(socket.getInputStream());
		out.writeInt(MAGIC);
		out.writeInt(VERSION);
		out.writeUTF(launchId);
		out.flush();
		byte[] challenge = new byte[CHALLENGE_LENGTH];
		in.readFully(challenge);
		out.write(answer(secret, challenge, launchId));
		out.flush();
		int verdict = in.read();
		if (verdict != ACCEPTED) {
			throw new IOException("the master at " + socket.getRemoteSocketAddress() + " refused launch '" + launchId
					+ "': it does not expect this launch (any more), or the secret in the environment is not its own");
		}
	}

	/**
	 * The master's side: reads the launch claimed, challenges it and checks the answer with the
	 * secret {@code secrets} gives for it.
	 * @param socket the new connection
	 * @param secrets the secret of each launch expected, null for one that is not
	 * @return the launch id, proven; the caller then {@linkplain #accept accepts} the connection
	 * @throws IOException when the connection fails or the worker does not prove its claim (the
	 * caller closes the connection)
	 */
	static String verify(Socket socket, Function<String, byte[]> secrets) throws IOException {
		DataInputStream in = new DataInputStream(socket.getInputStream());
		DataOutputStream out = new DataOutputStream(socket.getOutputStream());
		int magic = in.readInt();
		int version = in.readInt();
		if (magic != MAGIC || version != VERSION) {
			throw new IOException("not a vmworkers worker of this version (magic=0x" + Integer.toHexString(magic)
					+ " version=" + version + ", expected version " + VERSION + ")");
		}
		String launchId = in.readUTF();
		byte[] challenge = new byte[CHALLENGE_LENGTH];
		RANDOM.nextBytes(challenge);
		out.write(challenge);
		out.flush();
		byte[] answer = new byte[CHALLENGE_LENGTH];
		in.readFully(answer);
		byte[] secret = secrets.apply(launchId);
		// Compared even for an unknown launch, so that timing tells nothing about which launches exist.
		byte[] expected = answer((secret != null) ? secret : new byte[CHALLENGE_LENGTH], challenge, launchId);
		if (!MessageDigest.isEqual(expected, answer) || secret == null) {
			throw new IOException("it claimed launch '" + launchId + "' without proving it (a wrong secret, or a launch"
					+ " this master does not expect)");
		}
		return launchId;
	}

	/**
	 * Tells a worker whose claim was {@linkplain #verify verified} that its connection is accepted.
	 * @param socket the connection
	 * @throws IOException when the connection fails
	 */
	static void accept(Socket socket) throws IOException {
		socket.getOutputStream().write(ACCEPTED);
		socket.getOutputStream().flush();
	}

	static byte[] answer(byte[] secret, byte[] challenge, String launchId) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(secret, ALGORITHM));
			mac.update(challenge);
			return mac.doFinal(launchId.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available in this JVM", ex);
		}
	}

}

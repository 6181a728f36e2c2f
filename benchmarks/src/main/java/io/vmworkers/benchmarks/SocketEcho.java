package io.vmworkers.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The child end of the socket references ({@link SocketPeer}): connects to the master over TCP
 * loopback, sends one byte to say it runs, then answers {@code n + 1} to each int, blocked in a
 * read in between. With a second argument it does the same over a Unix-domain socket.
 * Arguments: TCP port, optionally the Unix-domain socket's path.
 */
final class SocketEcho {

	private SocketEcho() {
	}

	public static void main(String[] args) throws Exception {
		ChildJvm.exitWithParent();
		SocketChannel tcp = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
				Integer.parseInt(args[0])));
		tcp.setOption(StandardSocketOptions.TCP_NODELAY, true);
		tcp.write(ByteBuffer.wrap(new byte[] { 1 }));
		if (args.length > 1) {
			SocketChannel unix = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[1])));
			Thread unixEcho = new Thread(() -> echo(unix), "unix-echo");
			unixEcho.start();
		}
		echo(tcp);
	}

	private static void echo(SocketChannel channel) {
		ByteBuffer buffer = ByteBuffer.allocateDirect(4);
		try {
			while (SocketPeer.readFully(channel, buffer)) {
				buffer.putInt(0, buffer.getInt(0) + 1);
				SocketPeer.writeFully(channel, buffer);
			}
		}
		catch (IOException ex) {
			// The master closed the connection: this echo is done.
		}
	}

}

package io.vmworkers.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Thrown when the channel directory cannot hold the channels: missing, not a writable directory,
 * or with too little free space.
 */
public class ChannelDirectoryException extends IllegalStateException {

	private final Path directory;

	/**
	 * Creates the exception.
	 * @param directory the directory that cannot hold channel files
	 * @param message what is wrong with it and what to change
	 */
	public ChannelDirectoryException(Path directory, String message) {
		super(message);
		this.directory = directory;
	}

	/**
	 * Returns the directory that cannot hold channel files.
	 * @return the directory
	 */
	public Path getDirectory() {
		return this.directory;
	}

	/**
	 * Checks that a directory can hold channel files of the given total size.
	 * @param directory the channel directory
	 * @param requiredBytes the size of all files to create there
	 * @throws ChannelDirectoryException when it cannot
	 */
	public static void check(Path directory, long requiredBytes) {
		if (!Files.isDirectory(directory)) {
			throw new ChannelDirectoryException(directory, "channel directory " + directory + " does not exist");
		}
		if (!Files.isWritable(directory)) {
			throw new ChannelDirectoryException(directory, "channel directory " + directory + " is not writable");
		}
		long usable;
		try {
			usable = Files.getFileStore(directory).getUsableSpace();
		}
		catch (IOException ex) {
			throw new ChannelDirectoryException(directory,
					"channel directory " + directory + " cannot be inspected: " + ex.getMessage());
		}
		if (usable < requiredBytes) {
			throw new ChannelDirectoryException(directory, "channel directory " + directory + " has " + usable
					+ " bytes free, the channels need " + requiredBytes);
		}
	}

}

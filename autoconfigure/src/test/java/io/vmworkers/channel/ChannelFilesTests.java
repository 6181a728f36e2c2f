package io.vmworkers.channel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import io.vmworkers.process.ProcessStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelFilesTests {

	/** The overflow user and group of Linux distributions. */
	private static final int NOBODY = 65534;

	@TempDir
	Path directory;

	@Test
	void runDirectoryCarriesMasterPidAndStartAndFileNamesDiffer() {
		ProcessHandle self = ProcessHandle.current();
		long start = ProcessStart.ofCurrent().orElseThrow();
		assertThat(ChannelFiles.runDirectory(this.directory, self).getFileName().toString())
			.isEqualTo("vmworkers-" + self.pid() + "-t" + start);
		String first = ChannelFiles.newBaseName("robot");
		assertThat(first).startsWith("robot-").hasSize("robot-".length() + 32);
		assertThat(ChannelFiles.newBaseName("robot")).isNotEqualTo(first);
	}

	@Test
	void runDirectoryIsPrivateAndReusedOnlyWhenItIsOurs() throws Exception {
		Path run = ChannelFiles.runDirectory(this.directory, ProcessHandle.current());
		ChannelFiles.createRunDirectory(run);
		assertThat(Files.getPosixFilePermissions(run)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		ChannelFiles.createRunDirectory(run);
		Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(ChannelDirectoryException.class).isThrownBy(() -> ChannelFiles.createRunDirectory(run))
			.withMessageContaining("is not this user's private directory");
	}

	@Test
	void preCreatedSymbolicLinkOrFileIsRefused() throws Exception {
		Path run = ChannelFiles.runDirectory(this.directory, ProcessHandle.current());
		Path elsewhere = Files.createDirectory(this.directory.resolve("elsewhere"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Files.createSymbolicLink(run, elsewhere);
		assertThatExceptionOfType(ChannelDirectoryException.class).isThrownBy(() -> ChannelFiles.createRunDirectory(run))
			.withMessageContaining("directory=false");
		Files.delete(run);
		Files.createFile(run);
		assertThatExceptionOfType(ChannelDirectoryException.class).isThrownBy(() -> ChannelFiles.createRunDirectory(run))
			.withMessageContaining("directory=false");
	}

	@Test
	void removesRunDirectoriesOfDeadMastersOnly() throws Exception {
		ProcessHandle self = ProcessHandle.current();
		long start = ProcessStart.ofCurrent().orElseThrow();
		Path dead = Files.createDirectory(this.directory.resolve("vmworkers-" + deadPid() + "-t123"));
		Path deadFile = Files.createFile(dead.resolve("w-ab.m2w"));
		Path reused = Files.createDirectory(this.directory.resolve("vmworkers-" + self.pid() + "-t" + (start + 1)));
		Path live = ChannelFiles.runDirectory(this.directory, self);
		ChannelFiles.createRunDirectory(live);
		Path liveFile = Files.createFile(live.resolve("w-cd.m2w"));
		Path unknownStart = Files.createDirectory(this.directory.resolve("vmworkers-" + self.pid() + "-t0"));
		Path other = Files.createFile(this.directory.resolve("vmworkers-test-something"));
		assertThat(ChannelFiles.removeStale(this.directory)).containsExactlyInAnyOrder(dead, deadFile, reused);
		assertThat(liveFile).exists();
		assertThat(unknownStart).exists();
		assertThat(other).exists();
	}

	@Test
	void runDirectoryWhosePidOrStartOverflowsIsSkippedAndKept() throws Exception {
		// Anyone can make these in /dev/shm; they must not stop every master from starting.
		Path overflowingPid = Files.createDirectory(this.directory.resolve("vmworkers-99999999999999999999-t1"));
		Path earlierFormat = Files.createDirectory(this.directory.resolve("vmworkers-99999999999999999999-1"));
		Path overflowingStart = Files
			.createDirectory(this.directory.resolve("vmworkers-" + deadPid() + "-t99999999999999999999"));
		assertThat(ChannelFiles.removeStale(this.directory)).isEmpty();
		assertThat(overflowingPid).isDirectory();
		assertThat(earlierFormat).isDirectory();
		assertThat(overflowingStart).isDirectory();
	}

	@Test
	void symbolicLinkFileOrPipeNamedLikeAStaleRunDirectoryIsLeftAndSoIsWhatTheLinkPointsTo() throws Exception {
		long dead = deadPid();
		Path target = Files.createDirectory(this.directory.resolve("target"));
		Path targetFile = Files.createFile(target.resolve("w-ab.m2w"));
		Path link = Files.createSymbolicLink(this.directory.resolve("vmworkers-" + dead + "-t1"), target);
		Path file = Files.createFile(this.directory.resolve("vmworkers-" + dead + "-t2"));
		// Opening a pipe to read it would wait for a writer that never comes.
		Path pipe = this.directory.resolve("vmworkers-" + dead + "-t3");
		assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
		assertThat(ChannelFiles.removeStale(this.directory)).isEmpty();
		assertThat(link).isSymbolicLink();
		assertThat(targetFile).isRegularFile();
		assertThat(file).isRegularFile();
		assertThat(pipe).exists();
	}

	@Test
	void deadMastersRunDirectoryOwnedByAnotherUserIsKept() throws Exception {
		assumeTrue(isRoot(), "only root can give a directory to another user");
		Path run = Files.createDirectory(this.directory.resolve("vmworkers-" + deadPid() + "-t123"));
		Path file = Files.createFile(run.resolve("w-ab.m2w"));
		Files.setAttribute(file, "unix:uid", NOBODY);
		Files.setAttribute(run, "unix:uid", NOBODY);
		assertThat(ChannelFiles.removeStale(this.directory)).isEmpty();
		assertThat(file).isRegularFile();
	}

	@Test
	void deadMastersOwnRunDirectoryIsRemovedWithItsFiles() throws Exception {
		Path run = this.directory.resolve("vmworkers-" + deadPid() + "-t123");
		ChannelFiles.createRunDirectory(run);
		Path toWorker = Files.createFile(run.resolve("w-ab.m2w"));
		Path fromWorker = Files.createFile(run.resolve("w-ab.w2m"));
		assertThat(ChannelFiles.removeStale(this.directory)).containsExactlyInAnyOrder(toWorker, fromWorker, run);
		assertThat(run).doesNotExist();
	}

	@Test
	void deadMastersRunDirectoryKeepsASymbolicLinkAndWhatItPointsTo() throws Exception {
		Path outside = Files.createFile(this.directory.resolve("outside"));
		Path run = this.directory.resolve("vmworkers-" + deadPid() + "-t123");
		ChannelFiles.createRunDirectory(run);
		Path file = Files.createFile(run.resolve("w-ab.m2w"));
		Path link = Files.createSymbolicLink(run.resolve("w-cd.m2w"), outside);
		assertThat(ChannelFiles.removeStale(this.directory)).containsExactly(file);
		assertThat(link).isSymbolicLink();
		assertThat(outside).isRegularFile();
	}

	@Test
	void liveProcessRunDirectoryWithAnotherStartTickCountIsRemovedAsItsPidWasReused() throws Exception {
		long start = ProcessStart.ofCurrent().orElseThrow();
		Path reused = Files
			.createDirectory(this.directory.resolve("vmworkers-" + ProcessHandle.current().pid() + "-t" + (start - 1)));
		Path file = Files.createFile(reused.resolve("w-ab.m2w"));
		assertThat(ChannelFiles.removeStale(this.directory)).containsExactlyInAnyOrder(file, reused);
	}

	@Test
	void liveProcessRunDirectoryWithItsStartTickCountIsKept() throws Exception {
		long start = ProcessStart.ofCurrent().orElseThrow();
		Path live = Files
			.createDirectory(this.directory.resolve("vmworkers-" + ProcessHandle.current().pid() + "-t" + start));
		Path file = Files.createFile(live.resolve("w-ab.m2w"));
		assertThat(ChannelFiles.removeStale(this.directory)).isEmpty();
		assertThat(file).isRegularFile();
	}

	@Test
	void directoryCheckNamesTheProblem() {
		assertThatExceptionOfType(ChannelDirectoryException.class)
			.isThrownBy(() -> ChannelDirectoryException.check(this.directory.resolve("missing"), 1))
			.withMessageContaining("does not exist");
		assertThatExceptionOfType(ChannelDirectoryException.class)
			.isThrownBy(() -> ChannelDirectoryException.check(this.directory, Long.MAX_VALUE))
			.withMessageContaining("bytes free, the channels need " + Long.MAX_VALUE);
		ChannelDirectoryException.check(this.directory, 1);
	}

	private static long deadPid() throws Exception {
		Process finished = new ProcessBuilder("true").start();
		finished.waitFor();
		return finished.pid();
	}

	private static boolean isRoot() throws Exception {
		return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
	}

}

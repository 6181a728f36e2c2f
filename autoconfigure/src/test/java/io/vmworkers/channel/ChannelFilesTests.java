package io.vmworkers.channel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelFilesTests {

	@TempDir
	Path directory;

	@Test
	void runDirectoryCarriesMasterPidAndStartAndFileNamesDiffer() {
		ProcessHandle self = ProcessHandle.current();
		long start = self.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
		assertThat(ChannelFiles.runDirectory(this.directory, self).getFileName().toString())
			.isEqualTo("vmworkers-" + self.pid() + "-" + start);
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
		Process finished = new ProcessBuilder("true").start();
		finished.waitFor();
		ProcessHandle self = ProcessHandle.current();
		long start = self.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
		Path dead = Files.createDirectory(this.directory.resolve("vmworkers-" + finished.pid() + "-123"));
		Path deadFile = Files.createFile(dead.resolve("w-ab.m2w"));
		Path reused = Files.createDirectory(this.directory.resolve("vmworkers-" + self.pid() + "-" + (start - 5000)));
		Path live = ChannelFiles.runDirectory(this.directory, self);
		ChannelFiles.createRunDirectory(live);
		Path liveFile = Files.createFile(live.resolve("w-cd.m2w"));
		Path unknownStart = Files.createDirectory(this.directory.resolve("vmworkers-" + self.pid() + "-0"));
		Path other = Files.createFile(this.directory.resolve("vmworkers-test-something"));
		assertThat(ChannelFiles.removeStale(this.directory)).containsExactlyInAnyOrder(dead, deadFile, reused);
		assertThat(liveFile).exists();
		assertThat(unknownStart).exists();
		assertThat(other).exists();
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

}

package io.vmworkers.channel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ChannelFilesTests {

	@TempDir
	Path directory;

	@Test
	void newNamesCarryMasterPidAndStartAndDiffer() {
		ProcessHandle self = ProcessHandle.current();
		String first = ChannelFiles.newBaseName(self, "robot");
		long start = self.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
		assertThat(first).startsWith("vmworkers-" + self.pid() + "-" + start + "-robot-").hasSize(first.indexOf("-robot-") + 7 + 32);
		assertThat(ChannelFiles.newBaseName(self, "robot")).isNotEqualTo(first);
	}

	@Test
	void removesFilesOfDeadMastersOnly() throws Exception {
		Process finished = new ProcessBuilder("true").start();
		finished.waitFor();
		ProcessHandle self = ProcessHandle.current();
		long start = self.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
		Path dead = Files.createFile(this.directory.resolve("vmworkers-" + finished.pid() + "-123-w-ab.m2w"));
		Path reused = Files.createFile(this.directory.resolve("vmworkers-" + self.pid() + "-" + (start - 5000) + "-w-ab.w2m"));
		Path live = Files.createFile(this.directory.resolve(ChannelFiles.newBaseName(self, "w") + ".m2w"));
		Path unknownStart = Files.createFile(this.directory.resolve("vmworkers-" + self.pid() + "-0-w-ab.m2w"));
		Path other = Files.createFile(this.directory.resolve("vmworkers-test-something"));
		assertThat(ChannelFiles.removeStale(this.directory)).containsExactlyInAnyOrder(dead, reused);
		assertThat(live).exists();
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

package io.vmworkers.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessStartTests {

	@Test
	void startOfThisProcessIsKnownAndStable() {
		OptionalLong start = ProcessStart.ofCurrent();
		assertThat(start).isPresent();
		assertThat(start.getAsLong()).isPositive();
		assertThat(ProcessStart.ticks(ProcessHandle.current().pid())).isEqualTo(start);
	}

	@Test
	void commandNameWithSpacesAndParenthesesIsSkippedUpToItsLastParenthesis() {
		String stat = "4242 (evil) 0 1 2 (x) y) S 1 4242 4242 0 -1 4194560 120 0 0 0 1 0 0 0 20 0 1 0 987654 "
				+ "12345678 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
		assertThat(ProcessStart.parse(stat)).hasValue(987654);
	}

	@Test
	void processThatNamesItselfWithSpacesAndParenthesesIsRead() throws Exception {
		// The shell renames itself, then waits on its stdin until the test closes it.
		Process named = new ProcessBuilder("sh", "-c", "printf '%s' 'a) (b c) 1 2' > /proc/$$/comm; read line").start();
		try {
			Path comm = Path.of("/proc", Long.toString(named.pid()), "comm");
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(comm).startsWith("a) (b c) 1 2"));
			OptionalLong start = ProcessStart.ticks(named.pid());
			assertThat(start).isPresent();
			// Started after this JVM, so no earlier; a misread field would be a count, an address or 0.
			assertThat(start.getAsLong()).isGreaterThanOrEqualTo(ProcessStart.ofCurrent().getAsLong());
		}
		finally {
			named.getOutputStream().close();
			named.waitFor(10, TimeUnit.SECONDS);
			named.destroyForcibly();
		}
	}

	@Test
	void processThatDoesNotExistHasNoStart() {
		assertThat(ProcessStart.ticks(Integer.MAX_VALUE)).isEmpty();
		assertThat(ProcessStart.ticks(Long.MAX_VALUE)).isEmpty();
		assertThat(ProcessStart.ticks(0)).isEmpty();
		assertThat(ProcessStart.ticks(-1)).isEmpty();
	}

	@Test
	void contentNotOfTheStatFormHasNoStart() {
		assertThat(ProcessStart.parse("")).isEmpty();
		assertThat(ProcessStart.parse("4242 (short) S 1 2 3")).isEmpty();
		assertThat(ProcessStart.parse("4242 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 nan 20")).isEmpty();
	}

}

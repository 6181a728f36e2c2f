package io.vmworkers.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessUsageTests {

	@Test
	void readsCpuTimeAndResidentMemoryOfALiveProcess() {
		ProcessUsage usage = ProcessUsage.read(ProcessHandle.current().pid());
		assertThat(usage).isNotNull();
		assertThat(usage.cpuTimeNanos()).isPositive();
		// A JVM running tests is resident for more than 16 MB and less than the machine.
		assertThat(usage.residentBytes()).isGreaterThan(16L << 20).isLessThan(Runtime.getRuntime().maxMemory() * 4);
	}

	@Test
	void answersNullForAProcessThatIsGone() {
		assertThat(ProcessUsage.read(Integer.MAX_VALUE)).isNull();
		assertThat(ProcessUsage.read(-1)).isNull();
	}

	@Test
	void parsesUserAndSystemTicksAfterACommandNameWithSpacesAndParentheses() {
		String stat = "4242 (java (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 30 0 12345 "
				+ "4000000000 30000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
		assertThat(ProcessUsage.parseCpuTimeNanos(stat)).isEqualTo((150 + 50) * 10_000_000L);
		assertThat(ProcessUsage.parseCpuTimeNanos("garbage")).isEqualTo(-1);
	}

	@Test
	void parsesResidentSetSizeInKilobytes() {
		String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t   123456 kB\nThreads:\t22\n";
		assertThat(ProcessUsage.parseResidentBytes(status)).isEqualTo(123456L * 1024);
		assertThat(ProcessUsage.parseResidentBytes("Name:\tzombie\nState:\tZ (zombie)\n")).isEqualTo(-1);
	}

}

package io.vmworkers.process;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmEnvironmentTests {

	@Test
	void debugAgentsJmxRemoteAndRolePropertiesAreNotInherited() {
		List<String> options = JvmEnvironment.inheritableOptions(List.of("-Xmx512m",
				"-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Xdebug", "-Xrunjdwp:transport=dt_socket",
				"-Dcom.sun.management.jmxremote.port=9010", "-Dvmworkers.role=worker", "-Dapp.mode=fast",
				"-XX:+UseSerialGC"), Map.of());
		assertThat(options).containsExactly("-Xmx512m", "-Dapp.mode=fast", "-XX:+UseSerialGC");
	}

	@Test
	void optionsFromJavaToolOptionsAreNotPassedTwice() {
		List<String> options = JvmEnvironment.inheritableOptions(List.of("-Dfrom.tool=1", "-Xss1m", "-Xmx1g"),
				Map.of("JAVA_TOOL_OPTIONS", " -Dfrom.tool=1  -Xss1m"));
		assertThat(options).containsExactly("-Xmx1g");
	}

	@Test
	void explodedClassPathIsNotABootJar() {
		assertThat(JvmEnvironment.bootJar("target/classes:lib/a.jar")).isEmpty();
		assertThat(JvmEnvironment.bootJar("does-not-exist.jar")).isEmpty();
	}

	@Test
	void javaExecutableExists() {
		assertThat(new java.io.File(JvmEnvironment.javaExecutable())).canRead();
	}

	@Test
	void workersOnACurrentJdkGetTheAccessTheirLibrariesNeedAndNoneBefore() {
		assertThat(JvmEnvironment.libraryAccessOptions(17)).isEmpty();
		assertThat(JvmEnvironment.libraryAccessOptions(21)).isEmpty();
		assertThat(JvmEnvironment.libraryAccessOptions(22)).containsExactly("--enable-native-access=ALL-UNNAMED");
		assertThat(JvmEnvironment.libraryAccessOptions(25)).containsExactly("--enable-native-access=ALL-UNNAMED",
				"--sun-misc-unsafe-memory-access=allow");
	}

}

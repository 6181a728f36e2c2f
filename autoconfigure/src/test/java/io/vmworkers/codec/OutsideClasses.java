package io.vmworkers.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles test classes that must live outside {@code io.vmworkers}, which the allow-list always admits, so the test
 * sources can stay in this package.
 */
final class OutsideClasses {

	static final String CANARY = "com.untrusted.Canary";

	static final String CANARY_EXCEPTION = "com.untrusted.CanaryException";

	static final String POSE = "com.acme.Pose";

	static final String POSE_EXCEPTION = "com.acme.PoseException";

	static final String DEEP = "com.acme.sub.Deep";

	static final String OUTER_INNER = "com.acme.Outer$Inner";

	static final String LOOK_ALIKE = "com.acmex.Other";

	static final String SPRING = "org.springframework.context.Fake";

	private static final Map<String, String> SOURCES = Map.of(
			"com/untrusted/Canary.java", """
					package com.untrusted;
					public class Canary {
						static { io.vmworkers.codec.CanaryFlag.INITIALIZED.set(true); }
						public int value = 7;
					}
					""",
			"com/untrusted/CanaryException.java", """
					package com.untrusted;
					public class CanaryException extends RuntimeException {
						static { io.vmworkers.codec.CanaryFlag.INITIALIZED.set(true); }
						public CanaryException(String message) { super(message); }
					}
					""",
			"com/acme/PoseException.java", """
					package com.acme;
					public class PoseException extends RuntimeException {
						public PoseException(String message) { super(message); }
					}
					""",
			"com/acme/Pose.java", """
					package com.acme;
					public record Pose(String name, double x, double y) {}
					""",
			"com/acme/sub/Deep.java", """
					package com.acme.sub;
					public class Deep {}
					""",
			"com/acme/Outer.java", """
					package com.acme;
					public class Outer { public static class Inner {} }
					""",
			"com/acmex/Other.java", """
					package com.acmex;
					public class Other {}
					""",
			"org/springframework/context/Fake.java", """
					package org.springframework.context;
					public class Fake {}
					""");

	private OutsideClasses() {
	}

	/**
	 * Compiles every outside class into {@code directory}.
	 *
	 * @param directory an empty directory
	 */
	static void compileInto(Path directory) {
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler).as("tests need a JDK with javac").isNotNull();
		List<String> arguments = new ArrayList<>(List.of("-d", directory.toString(), "-classpath", testClasses()));
		try {
			for (Map.Entry<String, String> source : SOURCES.entrySet()) {
				Path file = directory.resolve("src").resolve(source.getKey());
				Files.createDirectories(file.getParent());
				Files.writeString(file, source.getValue());
				arguments.add(file.toString());
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		assertThat(compiler.run(null, null, null, arguments.toArray(String[]::new))).as("javac exit code").isZero();
	}

	/**
	 * Opens a fresh loader over the compiled classes; each loader initializes its classes independently.
	 *
	 * @param directory the directory passed to {@link #compileInto(Path)}
	 * @return a loader delegating to the test class loader first
	 */
	static URLClassLoader newLoader(Path directory) {
		try {
			return new URLClassLoader(new URL[] {directory.toUri().toURL()}, OutsideClasses.class.getClassLoader());
		} catch (MalformedURLException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String testClasses() {
		try {
			return Path.of(CanaryFlag.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}
}

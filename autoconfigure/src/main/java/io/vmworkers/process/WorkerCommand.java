package io.vmworkers.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of a worker JVM, in a fixed order: java executable, JVM options, system
 * properties (sorted), class path, main class. Building it starts nothing, so it is unit-testable.
 * <p>
 * Two launch modes: an exploded class path ({@code -cp a:b:c Main}), and a Spring Boot executable
 * jar, where the main class is run through Boot's {@code PropertiesLauncher} so that classes nested
 * in {@code BOOT-INF/lib} are found. A class path longer than the kernel accepts as one argument
 * goes into an argument file ({@code java @file}).
 */
public final class WorkerCommand {

	/** Spring Boot's launcher that honours {@code loader.main}, unlike {@code JarLauncher}. */
	public static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

	/** Spaces followed by what starts a JVM option: several options written as one. */
	private static final Pattern SEVERAL_OPTIONS = Pattern
		.compile("\\s+-(?=XX:|X[a-z]|D\\w|ea\\b|da\\b|esa\\b|dsa\\b|javaagent:|agentlib:|agentpath:|verbose|server\\b|client\\b)");

	/** Linux refuses a single argument over 128 KiB; stay well below. */
	static final int MAX_INLINE_CLASS_PATH = 64 * 1024;

	private final String javaExecutable;

	private final List<String> jvmOptions;

	private final Map<String, String> systemProperties;

	private final String classPath;

	private final Path bootJar;

	private final String mainClass;

	private final List<String> arguments;

	private final String cpus;

	private WorkerCommand(Builder builder) {
		this.javaExecutable = Objects.requireNonNull(builder.javaExecutable, "'javaExecutable' must not be null");
		this.mainClass = Objects.requireNonNull(builder.mainClass, "'mainClass' must not be null");
		if ((builder.classPath == null) == (builder.bootJar == null)) {
			throw new IllegalArgumentException("exactly one of classPath and bootJar must be set");
		}
		this.jvmOptions = List.copyOf(builder.jvmOptions);
		this.systemProperties = Collections.unmodifiableMap(new TreeMap<>(builder.systemProperties));
		this.classPath = builder.classPath;
		this.bootJar = builder.bootJar;
		this.arguments = List.copyOf(builder.arguments);
		this.cpus = builder.cpus;
		if (this.cpus != null) {
			checkCpuList(this.cpus, "cpus");
		}
	}

	/**
	 * Checks a CPU list in the form {@code taskset -c} takes: CPU numbers and ranges, separated by
	 * commas, such as {@code 1} or {@code 0-1,3}.
	 * @param cpus the list
	 * @param property the property it came from, for the error
	 * @throws IllegalArgumentException when the list is not of that form
	 */
	public static void checkCpuList(String cpus, String property) {
		if (!CPU_LIST.matcher(cpus).matches()) {
			throw new IllegalArgumentException("'" + cpus + "' is not a CPU list; set " + property
					+ " to CPU numbers and ranges separated by commas, such as 1 or 0-1,3");
		}
	}

	/**
	 * Checks one JVM option of the configuration: it must start with {@code -} (or {@code @} for an
	 * argument file), and must not hold several options separated by spaces, which the JVM would
	 * take as one and refuse with a message that does not say why.
	 * @param option the option
	 * @param property the property it came from, for the error
	 * @throws IllegalArgumentException when the option is not of that form
	 */
	public static void checkJvmOption(String option, String property) {
		if (option == null || option.isBlank() || !(option.startsWith("-") || option.startsWith("@"))) {
			throw new IllegalArgumentException("'" + option + "' in " + property + " is not a JVM option; JVM options "
					+ "start with '-' (or '@' for an argument file), such as -Xmx256m");
		}
		Matcher several = SEVERAL_OPTIONS.matcher(option);
		if (several.find()) {
			String separated = option.substring(0, several.start()) + ","
					+ SEVERAL_OPTIONS.matcher(option.substring(several.start()).strip()).replaceAll(",-");
			throw new IllegalArgumentException("'" + option + "' in " + property + " looks like several JVM options in "
					+ "one; separate them with commas (" + separated + ") or list them as " + property + "[0], "
					+ property + "[1], ...");
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns whether the class path must go into an argument file.
	 * @return true when it is too long to pass inline
	 */
	public boolean needsArgumentFile() {
		return this.classPath != null && this.classPath.length() > MAX_INLINE_CLASS_PATH;
	}

	/**
	 * Returns the content of the argument file holding the class path option, quoted as the
	 * {@code java} launcher expects.
	 * @return the argument file's text
	 */
	public String argumentFileContent() {
		return "-cp \"" + this.classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
	}

	/**
	 * Returns the command.
	 * @param argumentFile where {@link #argumentFileContent()} has been written, used only when
	 * {@link #needsArgumentFile()}; may be null otherwise
	 * @return the full command line
	 */
	public List<String> command(Path argumentFile) {
		List<String> command = new ArrayList<>();
		if (this.cpus != null) {
			// taskset execs java with the affinity set, so that every thread of the JVM, its GC and
			// JIT threads included, inherits it; the process keeps taskset's pid.
			command.addAll(List.of("taskset", "-c", this.cpus));
		}
		command.add(this.javaExecutable);
		command.addAll(this.jvmOptions);
		this.systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
		if (this.bootJar != null) {
			command.add("-Dloader.main=" + this.mainClass);
			command.add("-cp");
			command.add(this.bootJar.toString());
			command.add(PROPERTIES_LAUNCHER);
		}
		else {
			if (needsArgumentFile()) {
				Objects.requireNonNull(argumentFile, "'argumentFile' must not be null for a long class path");
				command.add("@" + argumentFile);
			}
			else {
				command.add("-cp");
				command.add(this.classPath);
			}
			command.add(this.mainClass);
		}
		command.addAll(this.arguments);
		return command;
	}

	/**
	 * Returns a process builder for the command, with stdin as a pipe (the worker exits when it
	 * reads end-of-file, that is when the master dies) and stdout and stderr as pipes.
	 * @param argumentFile see {@link #command(Path)}
	 * @return the process builder
	 */
	public ProcessBuilder toProcessBuilder(Path argumentFile) {
		ProcessBuilder builder = new ProcessBuilder(command(argumentFile));
		builder.redirectInput(ProcessBuilder.Redirect.PIPE);
		builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
		builder.redirectError(ProcessBuilder.Redirect.PIPE);
		return builder;
	}

	/** Collects the parts of a {@link WorkerCommand}. */
	public static final class Builder {

		private String javaExecutable;

		private final List<String> jvmOptions = new ArrayList<>();

		private final Map<String, String> systemProperties = new TreeMap<>();

		private String classPath;

		private Path bootJar;

		private String mainClass;

		private final List<String> arguments = new ArrayList<>();

		private String cpus;

		private Builder() {
		}

		/**
		 * Runs the worker on these CPUs only.
		 * @param cpus a CPU list as {@code taskset -c} takes it, or null for all CPUs
		 * @return this builder
		 */
		public Builder cpus(String cpus) {
			this.cpus = cpus;
			return this;
		}

		public Builder javaExecutable(String javaExecutable) {
			this.javaExecutable = javaExecutable;
			return this;
		}

		public Builder jvmOptions(List<String> options) {
			this.jvmOptions.addAll(options);
			return this;
		}

		public Builder systemProperty(String key, String value) {
			this.systemProperties.put(key, value);
			return this;
		}

		public Builder classPath(String classPath) {
			this.classPath = classPath;
			return this;
		}

		public Builder bootJar(Path bootJar) {
			this.bootJar = bootJar;
			return this;
		}

		public Builder mainClass(String mainClass) {
			this.mainClass = mainClass;
			return this;
		}

		public Builder arguments(List<String> arguments) {
			this.arguments.addAll(arguments);
			return this;
		}

		public WorkerCommand build() {
			return new WorkerCommand(this);
		}

	}

}

package io.vmworkers.process;

import java.util.List;

/**
 * How a worker's JVM writes the archive of a warm start at its exit, and maps it at its start.
 */
public enum ArchiveFormat {

	/**
	 * Java 17 to 24: a dynamic class data sharing archive of the classes the JVM loaded.
	 */
	DYNAMIC_ARCHIVE(".jsa", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=",
			List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off")),

	/**
	 * Java 25 and later: an ahead-of-time cache (JEPs 483, 514 and 515), the classes loaded and
	 * linked and the profiles of the methods run. The JVM that writes it starts another at its exit
	 * to assemble the cache, which tells what it does in a few lines of output.
	 */
	AOT_CACHE(".aot", "-XX:AOTCacheOutput=", "-XX:AOTCache=", List.of("-Xlog:cds=off", "-Xlog:aot=off"));

	private final String suffix;

	private final String writeOption;

	private final String useOption;

	private final List<String> quiet;

	ArchiveFormat(String suffix, String writeOption, String useOption, List<String> quiet) {
		this.suffix = suffix;
		this.writeOption = writeOption;
		this.useOption = useOption;
		this.quiet = quiet;
	}

	/**
	 * Returns the format a Java release takes.
	 * @param feature the release ({@code Runtime.version().feature()})
	 * @return the format
	 */
	public static ArchiveFormat forRelease(int feature) {
		return (feature >= 25) ? AOT_CACHE : DYNAMIC_ARCHIVE;
	}

	/**
	 * Returns the archive file's suffix.
	 * @return the suffix, with its dot
	 */
	public String suffix() {
		return this.suffix;
	}

	/**
	 * Returns the option that writes the archive at exit, to be followed by the file.
	 * @return the option's prefix
	 */
	public String writeOption() {
		return this.writeOption;
	}

	/**
	 * Returns the option that maps the archive at start, to be followed by the file.
	 * @return the option's prefix
	 */
	public String useOption() {
		return this.useOption;
	}

	/**
	 * Returns the options that keep the JVM's warnings about what it leaves out of the archive
	 * from filling the master's log.
	 * @return the options
	 */
	public List<String> quiet() {
		return this.quiet;
	}

}

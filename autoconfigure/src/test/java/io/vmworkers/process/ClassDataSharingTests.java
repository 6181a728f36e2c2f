package io.vmworkers.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.vmworkers.process.ClassDataSharing.Plan;
import io.vmworkers.process.ClassDataSharing.Use;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm start's decisions, and a real dynamic archive written by one JVM and mapped by the next.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassDataSharingTests {

	@TempDir
	Path temp;

	@Test
	void firstLaunchTrainsAndTheNextSharesWhatItWrote() throws IOException {
		Path jar = emptyJar("app.jar");
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		Plan training = sharing.plan(jar.toString(), List.of("-Xmx64m"));
		assertThat(training.use()).isEqualTo(Use.TRAIN);
		Path written = option(training, sharing.format().writeOption());
		Plan meanwhile = sharing.plan(jar.toString(), List.of("-Xmx64m"));
		assertThat(meanwhile.reason()).contains("another worker is writing the archive");
		assertThat(meanwhile.lasting()).isFalse();
		Files.writeString(written, "archive");
		assertThat(training.finish(0)).isTrue();
		assertThat(written).doesNotExist();
		Plan shared = sharing.plan(jar.toString(), List.of("-Xmx64m"));
		assertThat(shared.use()).isEqualTo(Use.SHARE);
		assertThat(option(shared, sharing.format().useOption())).isEqualTo(training.archive()).hasContent("archive");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sharing.directory())))
			.isEqualTo("rwx------");
	}

	@Test
	void fromJava25OnTheArchiveIsAnAheadOfTimeCache() throws IOException {
		assertThat(ArchiveFormat.forRelease(17)).isEqualTo(ArchiveFormat.DYNAMIC_ARCHIVE);
		assertThat(ArchiveFormat.forRelease(24)).isEqualTo(ArchiveFormat.DYNAMIC_ARCHIVE);
		assertThat(ArchiveFormat.forRelease(25)).isEqualTo(ArchiveFormat.AOT_CACHE);
		Path jar = emptyJar("app.jar");
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"), ArchiveFormat.AOT_CACHE);
		Plan training = sharing.plan(jar.toString(), List.of());
		Files.writeString(option(training, "-XX:AOTCacheOutput="), "cache");
		assertThat(training.finish(0)).isTrue();
		Plan shared = sharing.plan(jar.toString(), List.of());
		assertThat(option(shared, "-XX:AOTCache=")).isEqualTo(training.archive()).hasContent("cache");
		assertThat(shared.archive().getFileName().toString()).endsWith(".aot");
		assertThat(sharing.plan(jar.toString(), List.of("-XX:AOTCache=/tmp/mine.aot")).reason())
			.contains("set class data sharing themselves");
	}

	@ParameterizedTest
	@ValueSource(ints = { 130, 143 })
	void aTrainingWorkerStoppedByCtrlCOrSigtermPublishesItsArchive(int exitCode) throws IOException {
		Path jar = emptyJar("app.jar");
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		Plan training = sharing.plan(jar.toString(), List.of());
		Files.writeString(option(training, sharing.format().writeOption()), "archive");
		assertThat(training.finish(exitCode)).isTrue();
		assertThat(sharing.plan(jar.toString(), List.of()).use()).isEqualTo(Use.SHARE);
	}

	@Test
	void aTrainingWorkerThatDidNotExitNormallyLeavesNothing() throws IOException {
		Path jar = emptyJar("app.jar");
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		Plan training = sharing.plan(jar.toString(), List.of());
		Path written = option(training, sharing.format().writeOption());
		Files.writeString(written, "half an archive");
		assertThat(training.finish(137)).isFalse();
		assertThat(written).doesNotExist();
		assertThat(training.archive()).doesNotExist();
		assertThat(sharing.plan(jar.toString(), List.of()).use()).isEqualTo(Use.TRAIN);
	}

	@Test
	void aChangedJarOrOtherJvmOptionsGetAnotherArchive() throws IOException {
		Path jar = emptyJar("app.jar");
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		Plan first = sharing.plan(jar.toString(), List.of());
		Plan otherOptions = sharing.plan(jar.toString(), List.of("-XX:+UseSerialGC"));
		Plan logging = sharing.plan(jar.toString(), List.of("-Xlog:gc"));
		assertThat(otherOptions.use()).isEqualTo(Use.TRAIN);
		assertThat(otherOptions.archive()).isNotEqualTo(first.archive());
		// Logging options do not change the archive: the same key is still being written.
		assertThat(logging.use()).isEqualTo(Use.OFF);
		Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
		Plan rebuilt = sharing.plan(jar.toString(), List.of());
		assertThat(rebuilt.use()).isEqualTo(Use.TRAIN);
		assertThat(rebuilt.archive()).isNotEqualTo(first.archive());
	}

	@Test
	void jarsNamedByAManifestArePartOfTheKey() throws IOException {
		Path library = emptyJar("library.jar");
		Path application = jar("app.jar", List.of(), "library.jar");
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		Plan before = sharing.plan(application.toString(), List.of());
		Files.setLastModifiedTime(library, FileTime.fromMillis(0));
		Plan after = sharing.plan(application.toString(), List.of());
		assertThat(after.use()).isEqualTo(Use.TRAIN);
		assertThat(after.archive()).isNotEqualTo(before.archive());
	}

	@Test
	void directoriesOnTheClassPathOrOwnSharingOptionsTurnItOff() throws IOException {
		Path jar = emptyJar("app.jar");
		Path classes = Files.createDirectory(this.temp.resolve("classes"));
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		Plan exploded = sharing.plan(jar + ":" + classes, List.of());
		assertThat(exploded.use()).isEqualTo(Use.OFF);
		assertThat(exploded.jvmOptions()).isEmpty();
		assertThat(exploded.reason()).contains(classes.toString()).contains("not a jar");
		assertThat(exploded.lasting()).isTrue();
		Plan own = sharing.plan(jar.toString(), List.of("-Xshare:off"));
		assertThat(own.use()).isEqualTo(Use.OFF);
		assertThat(own.reason()).contains("-Xshare:off");
		assertThat(own.finish(0)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "-javaagent:apm.jar", "-agentpath:/opt/profiler/libasyncProfiler.so=start",
			"-agentlib:hprof" })
	void anAgentTurnsItOffSinceTheJvmWouldRefuseToWriteTheArchive(String agent) throws IOException {
		Path jar = emptyJar("app.jar");
		Plan plan = new ClassDataSharing(this.temp.resolve("cache")).plan(jar.toString(), List.of("-Xmx64m", agent));
		assertThat(plan.use()).isEqualTo(Use.OFF);
		assertThat(plan.jvmOptions()).isEmpty();
		assertThat(plan.reason()).contains(agent).contains("agent");
		assertThat(plan.lasting()).isTrue();
	}

	@Test
	void aCacheDirectoryOthersCanWriteIsRefused() throws IOException {
		Path jar = emptyJar("app.jar");
		Path open = Files.createDirectory(this.temp.resolve("open"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
		Plan plan = new ClassDataSharing(open).plan(jar.toString(), List.of());
		assertThat(plan.use()).isEqualTo(Use.OFF);
		assertThat(plan.reason()).contains("rwxrwxrwx").contains("vmworkers.cds.directory");
	}

	@Test
	void partialArchivesOfDeadMastersAreRemoved() throws Exception {
		Path jar = emptyJar("app.jar");
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		sharing.plan(emptyJar("other.jar").toString(), List.of());
		Path abandoned = sharing.directory().resolve("0123456789abcdef0123456789abcdef." + deadPid() + ".training");
		Path mine = sharing.directory()
			.resolve("0123456789abcdef0123456789abcdef." + ProcessHandle.current().pid() + ".training");
		Files.writeString(abandoned, "x");
		Files.writeString(mine, "x");
		sharing.plan(jar.toString(), List.of());
		assertThat(abandoned).doesNotExist();
		assertThat(mine).exists();
	}

	@Test
	void onlyTheNewestArchivesAreKept() throws IOException {
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		List<Path> archives = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Plan plan = sharing.plan(emptyJar("app" + i + ".jar").toString(), List.of());
			Files.writeString(option(plan, sharing.format().writeOption()), "archive " + i);
			assertThat(plan.finish(0)).isTrue();
			Files.setLastModifiedTime(plan.archive(), FileTime.fromMillis(1_000_000L * (i + 1)));
			archives.add(plan.archive());
		}
		Plan last = sharing.plan(emptyJar("app6.jar").toString(), List.of());
		Files.writeString(option(last, sharing.format().writeOption()), "archive 6");
		last.finish(0);
		assertThat(archives.subList(0, 3)).allMatch(Files::notExists);
		assertThat(archives.subList(3, 6)).allMatch(Files::exists);
		assertThat(last.archive()).exists();
	}

	@Test
	void aRealJvmWritesTheArchiveAndTheNextLoadsItsClassesFromIt() throws Exception {
		Path jar = helloJar();
		ClassDataSharing sharing = new ClassDataSharing(this.temp.resolve("cache"));
		Plan training = sharing.plan(jar.toString(), List.of("-Xmx32m"));
		assertThat(training.use()).isEqualTo(Use.TRAIN);
		assertThat(run(jar, training, "-Xmx32m")).contains("hello");
		assertThat(training.finish(0)).isTrue();
		assertThat(Files.size(training.archive())).isGreaterThan(0);
		Plan shared = sharing.plan(jar.toString(), List.of("-Xmx32m"));
		assertThat(shared.use()).isEqualTo(Use.SHARE);
		assertThat(run(jar, shared, "-Xmx32m", "-Xlog:class+load=info")).contains("hello")
			.contains("Hello source: shared objects file");
	}

	private String run(Path jar, Plan plan, String... options) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(JvmEnvironment.javaExecutable());
		command.addAll(List.of(options));
		command.addAll(plan.jvmOptions());
		command.addAll(List.of("-cp", jar.toString(), "Hello"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private Path helloJar() throws IOException {
		Path sources = Files.createDirectories(this.temp.resolve("src"));
		Path source = Files.writeString(sources.resolve("Hello.java"),
				"public class Hello { public static void main(String[] args) { System.out.println(\"hello\"); } }");
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler.run(null, null, null, "-d", sources.toString(), source.toString())).isZero();
		return jar("hello.jar", List.of(sources.resolve("Hello.class")), null);
	}

	private Path emptyJar(String name) throws IOException {
		return jar(name, List.of(), null);
	}

	private Path jar(String name, List<Path> classes, String classPath) throws IOException {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		if (classPath != null) {
			manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
		}
		Path jar = this.temp.resolve(name);
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream entries = new JarOutputStream(out, manifest)) {
			for (Path type : classes) {
				entries.putNextEntry(new JarEntry(type.getFileName().toString()));
				entries.write(Files.readAllBytes(type));
				entries.closeEntry();
			}
		}
		return jar;
	}

	private static Path option(Plan plan, String prefix) {
		return plan.jvmOptions()
			.stream()
			.filter((option) -> option.startsWith(prefix))
			.map((option) -> Path.of(option.substring(prefix.length())))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + prefix + " in " + plan.jvmOptions()));
	}

	private static long deadPid() throws Exception {
		Process process = new ProcessBuilder("true").start();
		process.waitFor();
		return process.pid();
	}

}

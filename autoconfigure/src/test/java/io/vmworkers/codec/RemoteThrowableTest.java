package io.vmworkers.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RemoteThrowableTest {

	private static final String WORKER = "countingTask";

	@TempDir
	static Path outsideClasses;

	private final KryoCodec codec =
			new KryoCodec(new ClassAllowList(List.of()), RemoteThrowableTest.class.getClassLoader(), 1 << 20);

	/** An application exception that cannot be rebuilt from a message. */
	public static final class CodedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		public CodedException(int code) {
			super("code " + code);
		}
	}

	@BeforeAll
	static void compileOutsideClasses() {
		OutsideClasses.compileInto(outsideClasses);
	}

	@Test
	void jdkExceptionIsRecreatedWithItsTypeMessageStackAndCause() {
		IllegalStateException original = new IllegalStateException("boom", new IOException("disk full"));

		Throwable recreated =
				crossChannel(original).toThrowable(codec.allowList(), getClass().getClassLoader(), WORKER);

		assertThat(recreated).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom");
		assertSameFrames(recreated, original);
		assertThat(recreated.getCause()).isExactlyInstanceOf(IOException.class).hasMessage("disk full");
		assertSameFrames(recreated.getCause(), original.getCause());
		assertThat(recreated.getCause().getCause()).isNull();
	}

	@Test
	void exceptionWithoutStringConstructorBecomesRemoteWorkerException() {
		CodedException original = new CodedException(7);
		original.initCause(new IllegalArgumentException("bad input"));

		Throwable recreated =
				crossChannel(original).toThrowable(codec.allowList(), getClass().getClassLoader(), WORKER);

		assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
				.hasMessage("io.vmworkers.codec.RemoteThrowableTest$CodedException: code 7 "
						+ "(thrown in worker 'countingTask')");
		RemoteWorkerException standIn = (RemoteWorkerException) recreated;
		assertThat(standIn.getRemoteClassName()).isEqualTo(CodedException.class.getName());
		assertThat(standIn.getWorkerName()).isEqualTo(WORKER);
		assertSameFrames(recreated, original);
		assertThat(recreated.getCause()).isExactlyInstanceOf(IllegalArgumentException.class)
				.hasMessage("bad input");
	}

	@Test
	void exceptionWhoseStringConstructorBuildsAMessageBecomesRemoteWorkerExceptionWithTheMessageIntact() {
		ClassNotAllowedException original = new ClassNotAllowedException("com.example.Point");

		Throwable recreated =
				crossChannel(original).toThrowable(codec.allowList(), getClass().getClassLoader(), WORKER);

		assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
			.hasMessage(ClassNotAllowedException.class.getName() + ": " + original.getMessage()
					+ " (thrown in worker 'countingTask')");
	}

	@Test
	void nullMessageUsesTheNoArgConstructor() {
		Throwable recreated = crossChannel(new UnsupportedOperationException())
				.toThrowable(codec.allowList(), getClass().getClassLoader(), WORKER);

		assertThat(recreated).isExactlyInstanceOf(UnsupportedOperationException.class);
		assertThat(recreated.getMessage()).isNull();
	}

	@Test
	void unknownClassBecomesRemoteWorkerException() {
		RemoteThrowable described = new RemoteThrowable("com.acme.MissingException", null,
				List.of(new RemoteThrowable.Frame("com.acme.Job", "run", "Job.java", 12)), null);

		Throwable recreated = described.toThrowable(codec.allowList(), getClass().getClassLoader(), WORKER);

		assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
				.hasMessage("com.acme.MissingException (thrown in worker 'countingTask')");
		assertThat(recreated.getStackTrace())
				.containsExactly(new StackTraceElement("com.acme.Job", "run", "Job.java", 12));
	}

	@Test
	void classThatIsNotThrowableIsNeitherInstantiatedNorInitialized() throws Exception {
		CanaryFlag.INITIALIZED.set(false);
		try (URLClassLoader loader = OutsideClasses.newLoader(outsideClasses)) {
			RemoteThrowable described = new RemoteThrowable(OutsideClasses.CANARY, "payload", List.of(), null);

			// The package is allowed, so that the class is refused for not being a Throwable.
			Throwable recreated = described.toThrowable(new ClassAllowList(List.of("com.untrusted")), loader, WORKER);

			assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
					.hasMessage("com.untrusted.Canary: payload (thrown in worker 'countingTask')");
			assertThat(CanaryFlag.INITIALIZED).isFalse();
		}
	}

	@Test
	void exceptionOutsideAllowedPackagesArrivesAsRemoteWorkerExceptionAndItsClassIsNeverLoaded() throws Exception {
		CanaryFlag.INITIALIZED.set(false);
		List<RemoteThrowable.Frame> frames =
				List.of(new RemoteThrowable.Frame("com.untrusted.Job", "run", "Job.java", 3));
		try (RecordingLoader loader = new RecordingLoader()) {
			RemoteThrowable described = new RemoteThrowable(OutsideClasses.CANARY_EXCEPTION, "payload", frames, null);

			Throwable recreated = rebuild(described, new ClassAllowList(List.of("com.acme")), loader);

			assertThat(CanaryFlag.INITIALIZED).as("static initializer ran").isFalse();
			assertThat(loader.requested).doesNotContain(OutsideClasses.CANARY_EXCEPTION);
			assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
					.hasMessage("com.untrusted.CanaryException: payload (thrown in worker 'countingTask')");
			assertThat(((RemoteWorkerException) recreated).getRemoteClassName())
					.isEqualTo(OutsideClasses.CANARY_EXCEPTION);
			assertThat(recreated.getStackTrace())
					.containsExactly(new StackTraceElement("com.untrusted.Job", "run", "Job.java", 3));
		}
	}

	@Test
	void jdkExceptionIsRebuiltWithItsTypeAndMessageWhateverTheAllowedPackages() {
		Throwable recreated = rebuild(crossChannel(new IllegalStateException("boom")), new ClassAllowList(List.of()),
				getClass().getClassLoader());

		assertThat(recreated).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom");
	}

	@Test
	void jdkExceptionOutsideTheJavaPackagesArrivesAsRemoteWorkerException() {
		Throwable recreated = rebuild(crossChannel(new javax.management.JMException("no bean")),
				new ClassAllowList(List.of()), getClass().getClassLoader());

		assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
				.hasMessage("javax.management.JMException: no bean (thrown in worker 'countingTask')");
	}

	@Test
	void applicationExceptionIsRebuiltOnlyWhenItsPackageIsAllowed() throws Exception {
		try (URLClassLoader loader = OutsideClasses.newLoader(outsideClasses)) {
			RemoteThrowable described = new RemoteThrowable(OutsideClasses.POSE_EXCEPTION, "off the map", List.of(),
					null);

			Throwable allowed = rebuild(described, new ClassAllowList(List.of("com.acme")), loader);
			Throwable refused = rebuild(described, new ClassAllowList(List.of("com.acme.sub")), loader);

			assertThat(allowed.getClass().getName()).isEqualTo(OutsideClasses.POSE_EXCEPTION);
			assertThat(allowed).hasMessage("off the map");
			assertThat(refused).isExactlyInstanceOf(RemoteWorkerException.class)
					.hasMessage("com.acme.PoseException: off the map (thrown in worker 'countingTask')");
		}
	}

	@Test
	void causeOutsideAllowedPackagesBecomesRemoteWorkerExceptionCauseOfTheRebuiltException() throws Exception {
		CanaryFlag.INITIALIZED.set(false);
		try (RecordingLoader loader = new RecordingLoader()) {
			RemoteThrowable root = new RemoteThrowable(IllegalArgumentException.class.getName(), "bad input",
					List.of(), null);
			RemoteThrowable canary = new RemoteThrowable(OutsideClasses.CANARY_EXCEPTION, "payload", List.of(), root);
			RemoteThrowable described = new RemoteThrowable(IllegalStateException.class.getName(), "outer",
					List.of(), canary);

			Throwable recreated = rebuild(described, new ClassAllowList(List.of("com.acme")), loader);

			assertThat(CanaryFlag.INITIALIZED).as("static initializer ran").isFalse();
			assertThat(loader.requested).doesNotContain(OutsideClasses.CANARY_EXCEPTION);
			assertThat(recreated).isExactlyInstanceOf(IllegalStateException.class).hasMessage("outer");
			assertThat(recreated.getCause()).isExactlyInstanceOf(RemoteWorkerException.class)
					.hasMessage("com.untrusted.CanaryException: payload (thrown in worker 'countingTask')");
			assertThat(recreated.getCause().getCause()).isExactlyInstanceOf(IllegalArgumentException.class)
					.hasMessage("bad input");
		}
	}

	@Test
	void causeChainIsCutAtMaxDepth() {
		Throwable chain = new IllegalStateException("level 0");
		for (int level = 1; level < 40; level++) {
			chain = new IllegalStateException("level " + level, chain);
		}

		RemoteThrowable described = RemoteThrowable.of(chain);

		assertThat(depth(described)).isEqualTo(RemoteThrowable.MAX_CAUSE_DEPTH);
		assertThat(described.message()).isEqualTo("level 39");
	}

	@Test
	void causeCycleIsCut() {
		IllegalStateException first = new IllegalStateException("first");
		IllegalArgumentException second = new IllegalArgumentException("second");
		first.initCause(second);
		second.initCause(first);

		RemoteThrowable described = RemoteThrowable.of(first);

		assertThat(depth(described)).isEqualTo(2);
		assertThat(described.cause().className()).isEqualTo(IllegalArgumentException.class.getName());
	}

	private static Throwable rebuild(RemoteThrowable described, ClassAllowList allowList, ClassLoader loader) {
		return described.toThrowable(allowList, loader, WORKER);
	}

	private RemoteThrowable crossChannel(Throwable throwable) {
		AtomicReference<Object> decoded = new AtomicReference<>();
		codec.encode(RemoteThrowable.of(throwable), (buffer, length) -> decoded.set(codec.decode(buffer, 0, length)));
		return (RemoteThrowable) decoded.get();
	}

	private static int depth(RemoteThrowable described) {
		int depth = 0;
		for (RemoteThrowable level = described; level != null; level = level.cause()) {
			depth++;
		}
		return depth;
	}

	private static void assertSameFrames(Throwable recreated, Throwable original) {
		assertThat(Arrays.stream(recreated.getStackTrace()).map(RemoteThrowableTest::frame))
				.isNotEmpty()
				.containsExactlyElementsOf(Arrays.stream(original.getStackTrace())
						.map(RemoteThrowableTest::frame).toList());
	}

	private static String frame(StackTraceElement element) {
		return element.getClassName() + "#" + element.getMethodName() + "(" + element.getFileName() + ":"
				+ element.getLineNumber() + ")";
	}

	/** A fresh loader over the outside classes that records every name it is asked for. */
	private static final class RecordingLoader extends URLClassLoader {

		private final List<String> requested = new CopyOnWriteArrayList<>();

		RecordingLoader() throws MalformedURLException {
			super(new URL[] {outsideClasses.toUri().toURL()}, RemoteThrowableTest.class.getClassLoader());
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			this.requested.add(name);
			return super.loadClass(name, resolve);
		}
	}
}

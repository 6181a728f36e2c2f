package io.vmworkers.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

		Throwable recreated = crossChannel(original).toThrowable(getClass().getClassLoader(), WORKER);

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

		Throwable recreated = crossChannel(original).toThrowable(getClass().getClassLoader(), WORKER);

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

		Throwable recreated = crossChannel(original).toThrowable(getClass().getClassLoader(), WORKER);

		assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
			.hasMessage(ClassNotAllowedException.class.getName() + ": " + original.getMessage()
					+ " (thrown in worker 'countingTask')");
	}

	@Test
	void nullMessageUsesTheNoArgConstructor() {
		Throwable recreated = crossChannel(new UnsupportedOperationException())
				.toThrowable(getClass().getClassLoader(), WORKER);

		assertThat(recreated).isExactlyInstanceOf(UnsupportedOperationException.class);
		assertThat(recreated.getMessage()).isNull();
	}

	@Test
	void unknownClassBecomesRemoteWorkerException() {
		RemoteThrowable described = new RemoteThrowable("com.acme.MissingException", null,
				List.of(new RemoteThrowable.Frame("com.acme.Job", "run", "Job.java", 12)), null);

		Throwable recreated = described.toThrowable(getClass().getClassLoader(), WORKER);

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

			Throwable recreated = described.toThrowable(loader, WORKER);

			assertThat(recreated).isExactlyInstanceOf(RemoteWorkerException.class)
					.hasMessage("com.untrusted.Canary: payload (thrown in worker 'countingTask')");
			assertThat(CanaryFlag.INITIALIZED).isFalse();
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
}

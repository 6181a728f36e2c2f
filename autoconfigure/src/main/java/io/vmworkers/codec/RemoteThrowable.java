package io.vmworkers.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Describes an exception thrown in a worker JVM as plain data, so that it crosses the channel without serializing
 * arbitrary {@link Throwable} subclasses.
 *
 * @param className binary name of the exception class
 * @param message the exception's message; may be {@code null}
 * @param stackTrace the exception's stack frames, innermost first
 * @param cause description of the cause; may be {@code null}
 */
public record RemoteThrowable(String className, String message, List<Frame> stackTrace, RemoteThrowable cause) {

	/** Bounds the described cause chain, which arbitrary exceptions can make long. */
	public static final int MAX_CAUSE_DEPTH = 16;

	/**
	 * One stack frame of a worker's exception.
	 *
	 * @param declaringClass binary name of the class declaring the method
	 * @param methodName the method name
	 * @param fileName the source file name; may be {@code null}
	 * @param lineNumber the line number, negative when unknown or native
	 */
	public record Frame(String declaringClass, String methodName, String fileName, int lineNumber) {

		/**
		 * Validates the frame.
		 *
		 * @throws NullPointerException if {@code declaringClass} or {@code methodName} is {@code null}
		 */
		public Frame {
			Objects.requireNonNull(declaringClass, "declaringClass");
			Objects.requireNonNull(methodName, "methodName");
		}

		/**
		 * Describes a stack trace element.
		 *
		 * @param element the element to describe
		 * @return the frame
		 */
		public static Frame of(StackTraceElement element) {
			return new Frame(element.getClassName(), element.getMethodName(), element.getFileName(),
					element.getLineNumber());
		}

		/**
		 * Recreates the stack trace element.
		 *
		 * @return an element with this frame's class, method, file and line
		 */
		public StackTraceElement toStackTraceElement() {
			return new StackTraceElement(declaringClass, methodName, fileName, lineNumber);
		}
	}

	/**
	 * Validates the description and copies the stack trace.
	 *
	 * @throws NullPointerException if {@code className} or {@code stackTrace} is {@code null}
	 */
	public RemoteThrowable {
		Objects.requireNonNull(className, "className");
		stackTrace = List.copyOf(stackTrace);
	}

	/**
	 * Describes an exception and its cause chain, which is cut at {@link #MAX_CAUSE_DEPTH} levels or where it loops.
	 *
	 * @param throwable the exception to describe
	 * @return the description
	 */
	public static RemoteThrowable of(Throwable throwable) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable t = Objects.requireNonNull(throwable, "throwable");
				t != null && chain.size() < MAX_CAUSE_DEPTH && seen.add(t); t = t.getCause()) {
			chain.add(t);
		}
		RemoteThrowable described = null;
		for (int i = chain.size() - 1; i >= 0; i--) {
			Throwable t = chain.get(i);
			List<Frame> frames = new ArrayList<>();
			for (StackTraceElement element : t.getStackTrace()) {
				frames.add(Frame.of(element));
			}
			described = new RemoteThrowable(t.getClass().getName(), t.getMessage(), frames, described);
		}
		return described;
	}

	/**
	 * Recreates the exception in this JVM, with the worker's stack trace and recreated causes.
	 *
	 * <p>The original class is instantiated only when {@code allowList} admits its name
	 * ({@link ClassAllowList#isAllowedThrowableName(String)}: the JDK's {@code java.*} exceptions and the allowed
	 * packages), {@code loader} finds it, it is a concrete {@link Throwable}, it has a public {@code (String)}
	 * constructor (or a public no-arg one when the message is {@code null}) that keeps the message as it is, and the
	 * cause can be attached. Otherwise a {@link RemoteWorkerException} naming the class, the message and the worker
	 * stands in. A class the allow-list refuses is never loaded; an admitted one is loaded without being initialized,
	 * so only a class that passes every check runs its static initializer. Each cause is judged the same way.
	 *
	 * @param allowList decides which exception classes may be rebuilt; pass the codec's
	 * @param loader loader to find the exception classes with
	 * @param workerName name of the worker that threw, for the stand-in's message
	 * @return the recreated exception or its stand-in
	 */
	public Throwable toThrowable(ClassAllowList allowList, ClassLoader loader, String workerName) {
		Objects.requireNonNull(allowList, "allowList");
		Throwable recreatedCause = (cause != null) ? cause.toThrowable(allowList, loader, workerName) : null;
		Throwable recreated = allowList.isAllowedThrowableName(className) ? recreate(loader, recreatedCause) : null;
		if (recreated == null) {
			recreated = new RemoteWorkerException(className, message, workerName, recreatedCause);
		}
		StackTraceElement[] elements = new StackTraceElement[stackTrace.size()];
		for (int i = 0; i < elements.length; i++) {
			elements[i] = stackTrace.get(i).toStackTraceElement();
		}
		recreated.setStackTrace(elements);
		return recreated;
	}

	private Throwable recreate(ClassLoader loader, Throwable recreatedCause) {
		Class<?> type;
		try {
			// Not initialized: the checks below may still refuse the class, and then none of its code may run.
			type = Class.forName(className, false, loader);
		} catch (ClassNotFoundException | LinkageError | SecurityException e) {
			// The worker's class is missing or broken here, or a loader refused to define it (a java.* name on the
			// class path); the stand-in still reports its name.
			return null;
		}
		if (!Throwable.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
			return null;
		}
		Constructor<?> constructor = publicConstructor(type);
		if (constructor == null) {
			return null;
		}
		Throwable instance;
		try {
			instance = (Throwable) (constructor.getParameterCount() == 0
					? constructor.newInstance()
					: constructor.newInstance(message));
		} catch (ReflectiveOperationException | LinkageError e) {
			// A constructor that throws, or a class that is not accessible, leaves the stand-in as the best report.
			return null;
		}
		if (!Objects.equals(instance.getMessage(), message)) {
			// A (String) constructor that builds its own message from the argument would garble the worker's.
			return null;
		}
		if (recreatedCause != null) {
			try {
				instance.initCause(recreatedCause);
			} catch (IllegalStateException e) {
				// The constructor fixed the cause already; the stand-in keeps the chain instead.
				return null;
			}
		}
		return instance;
	}

	private Constructor<?> publicConstructor(Class<?> type) {
		if (message == null) {
			try {
				return type.getConstructor();
			} catch (NoSuchMethodException e) {
				// Fall through: a (String) constructor accepts the null message as well.
			}
		}
		try {
			return type.getConstructor(String.class);
		} catch (NoSuchMethodException e) {
			return null;
		}
	}
}

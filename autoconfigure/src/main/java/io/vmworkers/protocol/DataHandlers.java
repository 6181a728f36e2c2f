package io.vmworkers.protocol;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The {@link OnData} methods of a task for one side, and which of them takes an object of a given
 * class (the most specific parameter type wins; a {@link ByteBuffer} parameter takes byte arrays).
 */
public final class DataHandlers {

	private static final Method NONE = ReflectionUtils.findMethod(DataHandlers.class, "toString");

	private final Object target;

	private final List<Method> methods;

	private final Map<Class<?>, Method> byClass = new ConcurrentHashMap<>();

	private DataHandlers(Object target, List<Method> methods) {
		this.target = target;
		this.methods = methods;
	}

	/**
	 * Collects the data handlers of a task for one side.
	 * @param target the instance handlers are invoked on
	 * @param taskClass the user's class
	 * @param onMaster true for the master's handlers ({@code @OnData @OnMaster}), false for the
	 * worker's
	 * @return the handlers, possibly none
	 */
	public static DataHandlers of(Object target, Class<?> taskClass, boolean onMaster) {
		List<Method> methods = new ArrayList<>();
		ReflectionUtils.doWithMethods(taskClass, (method) -> {
			ReflectionUtils.makeAccessible(method);
			methods.add(method);
		}, (method) -> AnnotatedElementUtils.hasAnnotation(method, OnData.class)
				&& AnnotatedElementUtils.hasAnnotation(method, OnMaster.class) == onMaster && !method.isBridge());
		for (Method method : methods) {
			if (method.getParameterCount() != 1) {
				throw new IllegalStateException("@OnData method " + method + " must take exactly one parameter");
			}
		}
		Method view = methods.stream().filter(DataHandlers::takesView).findFirst().orElse(null);
		Method array = methods.stream()
			.filter((method) -> method.getParameterTypes()[0] == byte[].class)
			.findFirst()
			.orElse(null);
		if (view != null && array != null) {
			throw new IllegalStateException("@OnData methods " + array + " and " + view
					+ " both take byte arrays; keep one: a ByteBuffer parameter gets a read-only view of them, "
					+ "a byte[] parameter gets an array of its own");
		}
		methods.sort(Comparator.comparingInt((Method method) -> depth(method.getParameterTypes()[0])).reversed());
		return new DataHandlers(target, List.copyOf(methods));
	}

	private static int depth(Class<?> type) {
		int depth = 0;
		for (Class<?> c = ClassUtils.resolvePrimitiveIfNecessary(type); c != null; c = c.getSuperclass()) {
			depth++;
		}
		return depth + (type.isInterface() ? 0 : 1);
	}

	boolean isEmpty() {
		return this.methods.isEmpty();
	}

	/**
	 * Returns whether a handler takes objects of this one's class.
	 * @param object an object received
	 * @return true when {@link #deliver} would hand it to a handler
	 */
	boolean takes(Object object) {
		return !this.methods.isEmpty() && this.byClass.computeIfAbsent(object.getClass(), this::find) != NONE;
	}

	/**
	 * Returns the name of the method that takes an object.
	 * @param object the object
	 * @return the method's name, or null when none takes it
	 */
	String handlerName(Object object) {
		Method method = this.methods.isEmpty() ? NONE : this.byClass.computeIfAbsent(object.getClass(), this::find);
		return (method != NONE) ? method.getName() : null;
	}

	/**
	 * Delivers an object to the handler that takes it.
	 * @param object the object received
	 * @return false when no handler takes it
	 * @throws Throwable what the handler threw
	 */
	boolean deliver(Object object) throws Throwable {
		if (this.methods.isEmpty()) {
			return false;
		}
		Method method = this.byClass.computeIfAbsent(object.getClass(), this::find);
		if (method == NONE) {
			return false;
		}
		try {
			method.invoke(this.target, argument(method, object));
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
		return true;
	}

	/**
	 * A {@link ByteBuffer} parameter takes byte arrays as a read-only view.
	 */
	private static boolean takesView(Method method) {
		return method.getParameterTypes()[0] == ByteBuffer.class;
	}

	private static Object argument(Method method, Object object) {
		if (object instanceof byte[] array && takesView(method)) {
			return ByteBuffer.wrap(array).asReadOnlyBuffer();
		}
		return object;
	}

	private Method find(Class<?> type) {
		if (type == byte[].class) {
			for (Method method : this.methods) {
				if (takesView(method)) {
					return method;
				}
			}
		}
		for (Method method : this.methods) {
			if (ClassUtils.resolvePrimitiveIfNecessary(method.getParameterTypes()[0]).isAssignableFrom(type)) {
				return method;
			}
		}
		return NONE;
	}

}

package io.vmworkers.protocol;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.vmworkers.annotation.OnMaster;
import io.vmworkers.annotation.RoutingKey;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The methods of a {@code @WorkerTask} class that run on the worker, numbered the same way in
 * both JVMs: sorted by name and parameter types.
 * <p>
 * Routed: instance methods that are not private, not {@link OnMaster}, not {@code Object}'s, and
 * not lifecycle callbacks, declared by the class or its superclasses. Final methods cannot be
 * routed and fail fast when the master prepares the class.
 */
public final class TaskMethods {

	private static final Set<String> LIFECYCLE_ANNOTATIONS = Set.of("jakarta.annotation.PostConstruct",
			"jakarta.annotation.PreDestroy", "javax.annotation.PostConstruct", "javax.annotation.PreDestroy",
			"org.springframework.beans.factory.annotation.Autowired", "org.springframework.beans.factory.annotation.Value",
			"org.springframework.context.annotation.Bean");

	private static final Set<Class<?>> LIFECYCLE_INTERFACES = Set.of(
			org.springframework.beans.factory.InitializingBean.class,
			org.springframework.beans.factory.DisposableBean.class, org.springframework.beans.factory.Aware.class,
			org.springframework.context.Lifecycle.class);

	private final Class<?> taskClass;

	private final List<Method> methods;

	private final Map<Method, Integer> indexes;

	/** Per method index, the position of its {@link RoutingKey} parameter, or -1. */
	private final int[] routingKeys;

	private TaskMethods(Class<?> taskClass, List<Method> methods) {
		this.taskClass = taskClass;
		this.methods = methods;
		this.indexes = new LinkedHashMap<>();
		this.routingKeys = new int[methods.size()];
		for (int i = 0; i < methods.size(); i++) {
			this.indexes.put(methods.get(i), i);
			this.routingKeys[i] = routingKey(methods.get(i));
		}
	}

	private static int routingKey(Method method) {
		Annotation[][] annotations = method.getParameterAnnotations();
		for (int i = 0; i < annotations.length; i++) {
			for (Annotation annotation : annotations[i]) {
				if (annotation.annotationType() == RoutingKey.class) {
					return i;
				}
			}
		}
		return -1;
	}

	private static long routingKeyCount(Method method) {
		return Arrays.stream(method.getParameterAnnotations())
			.filter((annotations) -> Arrays.stream(annotations).anyMatch((a) -> a.annotationType() == RoutingKey.class))
			.count();
	}

	/**
	 * Lists the routed methods of a task class.
	 * @param taskClass the user's class (not a generated subclass)
	 * @return the methods
	 */
	public static TaskMethods of(Class<?> taskClass) {
		Map<String, Method> bySignature = new LinkedHashMap<>();
		for (Class<?> type = taskClass; type != null && type != Object.class; type = type.getSuperclass()) {
			for (Method method : type.getDeclaredMethods()) {
				if (isRouted(method)) {
					// Subclasses come first: their overrides win.
					bySignature.putIfAbsent(signature(method), method);
				}
			}
		}
		List<Method> sorted = new ArrayList<>(bySignature.values());
		sorted.sort(Comparator.comparing(TaskMethods::signature));
		for (Method method : sorted) {
			ReflectionUtils.makeAccessible(method);
		}
		return new TaskMethods(taskClass, List.copyOf(sorted));
	}

	public static boolean isRouted(Method method) {
		int modifiers = method.getModifiers();
		if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers) || method.isBridge() || method.isSynthetic()) {
			return false;
		}
		if (AnnotatedElementUtils.hasAnnotation(method, OnMaster.class) || isObjectMethod(method)) {
			return false;
		}
		if (Arrays.stream(method.getAnnotations())
			.anyMatch((annotation) -> LIFECYCLE_ANNOTATIONS.contains(annotation.annotationType().getName()))) {
			return false;
		}
		return !implementsLifecycleInterface(method);
	}

	private static boolean isObjectMethod(Method method) {
		return AopUtils.isEqualsMethod(method) || AopUtils.isHashCodeMethod(method)
				|| AopUtils.isToStringMethod(method) || AopUtils.isFinalizeMethod(method)
				|| (method.getName().equals("clone") && method.getParameterCount() == 0);
	}

	private static boolean implementsLifecycleInterface(Method method) {
		for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(method.getDeclaringClass())) {
			if (LIFECYCLE_INTERFACES.stream().anyMatch((lifecycle) -> lifecycle.isAssignableFrom(candidate))
					&& ReflectionUtils.findMethod(candidate, method.getName(), method.getParameterTypes()) != null) {
				return true;
			}
		}
		return false;
	}

	private static String signature(Method method) {
		return method.getName() + Arrays.stream(method.getParameterTypes())
			.map(Class::getName)
			.collect(Collectors.joining(",", "(", ")"));
	}

	/**
	 * Fails when a routed method cannot be intercepted, or names more than one routing key.
	 * @throws IllegalStateException naming the methods
	 */
	public void checkInterceptable() {
		List<String> finals = this.methods.stream()
			.filter((method) -> Modifier.isFinal(method.getModifiers()))
			.map((method) -> method.getDeclaringClass().getName() + "." + signature(method))
			.toList();
		if (!finals.isEmpty()) {
			throw new IllegalStateException("@WorkerTask " + this.taskClass.getName()
					+ " has final methods that cannot be sent to the worker: " + finals
					+ "; remove 'final', make them private, or mark them @OnMaster");
		}
		List<String> keyed = this.methods.stream()
			.filter((method) -> routingKeyCount(method) > 1)
			.map((method) -> method.getDeclaringClass().getName() + "." + signature(method))
			.toList();
		if (!keyed.isEmpty()) {
			throw new IllegalStateException("@WorkerTask " + this.taskClass.getName()
					+ " has methods with more than one @RoutingKey parameter: " + keyed + "; mark one of them");
		}
	}

	/**
	 * Returns which parameter of a routed method is its {@code @RoutingKey}.
	 * @param index the method's index
	 * @return the parameter's position, or -1 when calls to it are routed by load
	 */
	public int routingKey(int index) {
		return this.routingKeys[index];
	}

	public Class<?> taskClass() {
		return this.taskClass;
	}

	public Method method(int index) {
		if (index < 0 || index >= this.methods.size()) {
			throw new IllegalArgumentException("no routed method with index=" + index + " in " + this.taskClass.getName()
					+ " (" + this.methods.size() + " methods); master and worker run different code");
		}
		return this.methods.get(index);
	}

	/**
	 * Returns the index of a routed method, or -1 when the method runs locally. Accepts the
	 * method as seen on a subclass (a generated proxy) by matching the signature.
	 * @param method the method called
	 * @return its index or -1
	 */
	public int indexOf(Method method) {
		Integer index = this.indexes.get(method);
		if (index != null) {
			return index;
		}
		Method declared = ReflectionUtils.findMethod(this.taskClass, method.getName(), method.getParameterTypes());
		index = (declared != null) ? this.indexes.get(mostSpecific(declared)) : null;
		return (index != null) ? index : -1;
	}

	private Method mostSpecific(Method declared) {
		String signature = signature(declared);
		return this.methods.stream().filter((m) -> signature(m).equals(signature)).findFirst().orElse(declared);
	}

	public static boolean isAsync(Method method) {
		return CompletableFuture.class.isAssignableFrom(method.getReturnType());
	}

}

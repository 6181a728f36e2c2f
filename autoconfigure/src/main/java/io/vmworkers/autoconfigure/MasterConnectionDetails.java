package io.vmworkers.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The master's {@link ConnectionDetails} beans, passed to its workers. With Docker Compose or
 * Testcontainers ({@code @ServiceConnection}), or any bean of the master's own, these point at
 * the services the master found or started; a worker building its own context would fall back to
 * the application's properties and could connect elsewhere without a word. The master reads each
 * bean's values through its {@code ConnectionDetails} interfaces (they are value objects: getters,
 * possibly returning further such interfaces or lists of them) and passes them in the worker's
 * environment, readable by this user only, never on its command line; the worker registers a bean
 * of the same interfaces and values under the same name before its auto-configuration runs.
 */
final class MasterConnectionDetails {

	/** The environment variable that carries the values to a worker. */
	static final String VARIABLE = "VMWORKERS_CONNECTION_DETAILS";

	/** Key of a captured object's interfaces. */
	private static final String TYPES = "@types";

	/** Room for any set of connection details; an environment variable may hold 128 KiB. */
	private static final int MAX_SIZE = 96 * 1024;

	private MasterConnectionDetails() {
	}

	/**
	 * Returns whether a bean factory defines connection details, without creating any bean.
	 * @param beanFactory the master's bean factory
	 * @return true when workers need the master's connection details
	 */
	static boolean defined(ListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanNamesForType(ConnectionDetails.class, true, false)) {
			if (passed(beanFactory.getType(name, false))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether connection details of this type are passed: not Spring Boot's own that it derives
	 * from the application's properties ({@code PropertiesJdbcConnectionDetails} and the like),
	 * which a worker derives from the same properties itself.
	 */
	private static boolean passed(Class<?> type) {
		return type != null && !(type.getName().startsWith("org.springframework.boot.")
				&& type.getSimpleName().startsWith("Properties"));
	}

	/**
	 * Reads the values of the master's connection details beans, creating them if need be.
	 * @param beanFactory the master's bean factory
	 * @return the encoded values, or null when there are none
	 * @throws IllegalStateException when a value is of a type that cannot be passed
	 */
	static String capture(ListableBeanFactory beanFactory) {
		Map<String, ConnectionDetails> beans = new LinkedHashMap<>();
		beanFactory.getBeansOfType(ConnectionDetails.class, true, false).forEach((name, bean) -> {
			if (passed(bean.getClass())) {
				beans.put(name, bean);
			}
		});
		if (beans.isEmpty()) {
			return null;
		}
		Map<String, Object> captured = new LinkedHashMap<>();
		beans.forEach((name, bean) -> captured.put(name, captureObject(name, bean, connectionInterfaces(bean))));
		byte[][] encoded = new byte[1][];
		try {
			codec(MasterConnectionDetails.class.getClassLoader())
				.encode(captured, (buffer, length) -> encoded[0] = Arrays.copyOf(buffer, length));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("the master's connection details " + beans.keySet()
					+ " cannot be passed to its workers: " + ex.getMessage(), ex);
		}
		return Base64.getEncoder().encodeToString(encoded[0]);
	}

	private static List<Class<?>> connectionInterfaces(Object bean) {
		Set<Class<?>> interfaces = new LinkedHashSet<>();
		for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(bean.getClass())) {
			if (ConnectionDetails.class.isAssignableFrom(type) && type != ConnectionDetails.class) {
				interfaces.add(type);
			}
		}
		return List.copyOf(interfaces);
	}

	private static Map<String, Object> captureObject(String path, Object object, List<Class<?>> interfaces) {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put(TYPES, interfaces.stream().map(Class::getName).toList());
		for (Class<?> type : interfaces) {
			for (Method method : type.getMethods()) {
				if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
						&& method.getReturnType() != void.class && !values.containsKey(method.getName())) {
					ReflectionUtils.makeAccessible(method);
					Object value = ReflectionUtils.invokeMethod(method, object);
					values.put(method.getName(), captureValue(path + "." + method.getName() + "()", value,
							method.getGenericReturnType()));
				}
			}
		}
		return values;
	}

	private static Object captureValue(String path, Object value, Type type) {
		if (value == null) {
			return null;
		}
		Class<?> raw = ClassUtils.resolvePrimitiveIfNecessary(rawClass(type));
		if (value instanceof Collection<?> collection && type instanceof ParameterizedType parameterized) {
			Type element = parameterized.getActualTypeArguments()[0];
			List<Object> captured = new ArrayList<>();
			int index = 0;
			for (Object item : collection) {
				captured.add(captureValue(path + "[" + index++ + "]", item, element));
			}
			return captured;
		}
		if (raw.isInterface() && !raw.getName().startsWith("java.")) {
			return captureObject(path, value, List.of(raw));
		}
		if (raw.getName().startsWith("java.") || raw.isPrimitive()) {
			return value;
		}
		throw new IllegalStateException(path + " is a " + value.getClass().getName()
				+ ", which vmworkers cannot pass to a worker; configure the worker's connection in its properties"
				+ " (for example with a profile of its own), or keep the work that needs it on the master (@OnMaster)");
	}

	private static Class<?> rawClass(Type type) {
		if (type instanceof Class<?> type1) {
			return type1;
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
			return raw;
		}
		return Object.class;
	}

	/**
	 * Registers, in a worker's context, a bean for each connection details bean of its master.
	 * @param registry the worker's context
	 * @param encoded what {@link #capture} returned on the master
	 * @param classLoader the worker's class loader
	 */
	@SuppressWarnings("unchecked")
	static void register(BeanDefinitionRegistry registry, String encoded, ClassLoader classLoader) {
		byte[] bytes = Base64.getDecoder().decode(encoded);
		Map<String, Object> captured = (Map<String, Object>) codec(classLoader).decode(bytes, 0, bytes.length);
		captured.forEach((name, values) -> {
			Object details = proxy((Map<String, Object>) values, classLoader);
			// The proxy's class implements all of the bean's interfaces: found by each of them.
			RootBeanDefinition definition = new RootBeanDefinition((Class<Object>) details.getClass(), () -> details);
			// Preferred over any the worker makes of its own configuration.
			definition.setPrimary(true);
			registry.registerBeanDefinition("vmworkers.master." + name, definition);
		});
	}

	/**
	 * Returns whether the master's connection details include a database's (JDBC or R2DBC).
	 * @param encoded what {@link #capture} returned on the master
	 * @param classLoader the worker's class loader
	 * @return true when a worker gets its database from the master
	 */
	@SuppressWarnings("unchecked")
	static boolean includesDatabase(String encoded, ClassLoader classLoader) {
		byte[] bytes = Base64.getDecoder().decode(encoded);
		Map<String, Object> captured = (Map<String, Object>) codec(classLoader).decode(bytes, 0, bytes.length);
		return captured.values()
			.stream()
			.flatMap((values) -> ((List<String>) ((Map<String, Object>) values).get(TYPES)).stream())
			.anyMatch((type) -> type.endsWith(".JdbcConnectionDetails") || type.endsWith(".R2dbcConnectionDetails"));
	}

	@SuppressWarnings("unchecked")
	private static Object proxy(Map<String, Object> values, ClassLoader classLoader) {
		List<String> typeNames = (List<String>) values.get(TYPES);
		Class<?>[] types = typeNames.stream().map((name) -> ClassUtils.resolveClassName(name, classLoader))
			.toArray(Class<?>[]::new);
		Map<String, Object> resolved = new LinkedHashMap<>();
		values.forEach((key, value) -> {
			if (!key.equals(TYPES)) {
				resolved.put(key, resolve(value, classLoader));
			}
		});
		return Proxy.newProxyInstance(classLoader, types, (proxy, method, arguments) -> {
			if (resolved.containsKey(method.getName()) && method.getParameterCount() == 0) {
				return resolved.get(method.getName());
			}
			return switch (method.getName()) {
				case "toString" -> "master's " + typeNames + " " + resolved;
				case "hashCode" -> System.identityHashCode(proxy);
				case "equals" -> proxy == arguments[0];
				default -> throw new UnsupportedOperationException(method + " was not passed from the master");
			};
		});
	}

	@SuppressWarnings("unchecked")
	private static Object resolve(Object value, ClassLoader classLoader) {
		if (value instanceof Map<?, ?> map && map.containsKey(TYPES)) {
			return proxy((Map<String, Object>) map, classLoader);
		}
		if (value instanceof List<?> list) {
			return list.stream().map((item) -> resolve(item, classLoader)).toList();
		}
		return value;
	}

	private static KryoCodec codec(ClassLoader classLoader) {
		// JDK value types and collections only: what connection details hold.
		return new KryoCodec(new ClassAllowList(List.of()), classLoader, MAX_SIZE);
	}

}

package io.vmworkers.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Decides which classes may cross a channel: application classes from configured package prefixes plus a fixed set
 * of JDK value and collection types.
 *
 * <p>A package prefix {@code com.acme} admits {@code com.acme} and its subpackages, never {@code com.acmeX}. The
 * library's own package {@code io.vmworkers} is always admitted. JDK types are matched by exact class identity or,
 * for families of JDK-internal classes, by supertype plus the bootstrap class loader, so an application class cannot
 * pass by imitating a JDK name. Checking never initializes the checked class.
 *
 * <p>Exceptions do not cross as objects but as {@link RemoteThrowable} descriptions, and the receiver rebuilds only
 * the classes {@link #isAllowedThrowableName(String)} admits: the same packages, plus the JDK's exceptions in
 * {@code java.*}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ClassAllowList {

	private static final String LIBRARY_PACKAGE = "io.vmworkers";

	/** Only the bootstrap and platform loaders may define classes here, so the name alone proves a JDK class. */
	private static final String JDK_EXCEPTION_PACKAGE = "java";

	private static final Pattern PACKAGE_NAME = Pattern.compile(
			"\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

	private static final Set<Class<?>> JDK_CLASSES = jdkClasses();

	private final List<String> packages;

	/**
	 * Creates an allow-list admitting the given package prefixes in addition to {@code io.vmworkers}.
	 *
	 * @param allowedPackages package prefixes such as {@code com.acme}; surrounding whitespace is ignored
	 * @throws IllegalArgumentException if an entry is not a package name
	 */
	public ClassAllowList(Collection<String> allowedPackages) {
		Set<String> normalized = new LinkedHashSet<>();
		normalized.add(LIBRARY_PACKAGE);
		for (String entry : allowedPackages) {
			String trimmed = entry == null ? "" : entry.strip();
			if (!PACKAGE_NAME.matcher(trimmed).matches()) {
				throw new IllegalArgumentException("allowed package '" + entry + "' is not a package name; list "
						+ "package prefixes such as com.acme in vmworkers.serialization.allowed-packages");
			}
			normalized.add(trimmed);
		}
		this.packages = List.copyOf(normalized);
	}

	/**
	 * Tells whether instances of a class may cross the channel.
	 *
	 * @param type the class to check; for arrays the innermost component class decides
	 * @return {@code true} if the class is admitted
	 */
	public boolean isAllowed(Class<?> type) {
		Class<?> element = innermostComponent(type);
		if (element.isPrimitive()) {
			return true;
		}
		// Hidden classes (lambdas among them) have no name the receiving JVM could load.
		if (element.isHidden()) {
			return false;
		}
		if (element.getClassLoader() == null && isAllowedJdkClass(element)) {
			return true;
		}
		return isInAllowedPackage(element.getPackageName());
	}

	/**
	 * Refuses a class that may not cross the channel.
	 *
	 * @param type the class to check
	 * @throws ClassNotAllowedException if {@link #isAllowed(Class)} is {@code false}
	 */
	public void check(Class<?> type) {
		if (!isAllowed(type)) {
			throw new ClassNotAllowedException(innermostComponent(type).getName());
		}
	}

	/**
	 * Tells whether an exception class named by a worker may be rebuilt in this JVM. The name alone decides, so that
	 * a refused class is never loaded: a class in an allowed package, as for {@link #isAllowed(Class)}, or in
	 * {@code java} and its subpackages, where the JVM lets no application loader define a class.
	 *
	 * <p>{@code javax.*}, {@code jdk.*} and {@code sun.*} are refused unless listed: jars on the class path define
	 * {@code javax} packages too ({@code javax.servlet}, {@code javax.inject}), so the name would not tell a JDK
	 * exception from a third-party one, and a refused exception still arrives as a {@link RemoteWorkerException}
	 * naming it.
	 *
	 * @param className binary name as the worker wrote it
	 * @return {@code true} if the class may be loaded and constructed
	 */
	public boolean isAllowedThrowableName(String className) {
		// Rejects array descriptors ("[Lcom.acme.X;") and other names a loader would resolve to something else.
		if (!PACKAGE_NAME.matcher(className).matches()) {
			return false;
		}
		int lastDot = className.lastIndexOf('.');
		String packageName = (lastDot < 0) ? "" : className.substring(0, lastDot);
		return isWithin(packageName, JDK_EXCEPTION_PACKAGE) || isInAllowedPackage(packageName);
	}

	/**
	 * Returns the JDK classes admitted by identity, for tests that check how each is serialized.
	 * @return the classes; the families admitted by supertype (enums, enum sets, zone ids) are not listed
	 */
	static Set<Class<?>> admittedJdkClasses() {
		return JDK_CLASSES;
	}

	@Override
	public String toString() {
		return "ClassAllowList[packages=" + packages + "]";
	}

	private boolean isInAllowedPackage(String packageName) {
		for (String allowed : packages) {
			if (isWithin(packageName, allowed)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isWithin(String packageName, String prefix) {
		return packageName.startsWith(prefix)
				&& (packageName.length() == prefix.length() || packageName.charAt(prefix.length()) == '.');
	}

	private static Class<?> innermostComponent(Class<?> type) {
		Class<?> element = type;
		while (element.isArray()) {
			element = element.getComponentType();
		}
		return element;
	}

	/** Expects a class loaded by the bootstrap loader, where no application class can be defined. */
	private static boolean isAllowedJdkClass(Class<?> type) {
		return JDK_CLASSES.contains(type)
				// Enum constants are fixed by the JDK; reading one cannot build an arbitrary object.
				|| (Enum.class.isAssignableFrom(type) && type != Enum.class)
				// RegularEnumSet and JumboEnumSet are private, chosen by EnumSet's factories.
				|| (EnumSet.class.isAssignableFrom(type) && type != EnumSet.class)
				// ZoneRegion is private; ZoneId.of returns it for region ids such as Europe/Paris.
				|| ZoneId.class.isAssignableFrom(type);
	}

	private static Set<Class<?>> jdkClasses() {
		List<Class<?>> classes = new ArrayList<>(List.of(
				// Object is admitted so that Object[] can carry admitted elements; each element is checked itself.
				Object.class, Boolean.class, Byte.class, Character.class, Short.class, Integer.class, Long.class,
				Float.class, Double.class, String.class, Void.class,
				BigInteger.class, BigDecimal.class,
				Duration.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
				OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Year.class, YearMonth.class,
				MonthDay.class, Period.class, ZoneOffset.class,
				UUID.class, Optional.class, OptionalInt.class, OptionalLong.class, OptionalDouble.class,
				BitSet.class, Date.class, Locale.class, Currency.class, URI.class,
				ArrayList.class, LinkedList.class, ArrayDeque.class, HashMap.class, LinkedHashMap.class,
				TreeMap.class, HashSet.class, LinkedHashSet.class, TreeSet.class, EnumMap.class,
				ConcurrentHashMap.class, ConcurrentSkipListMap.class, ConcurrentSkipListSet.class,
				CopyOnWriteArrayList.class));
		// The JDK's private collection classes have no class literal; taking them from the factories' results keeps
		// the comparison to exact classes instead of names.
		classes.addAll(List.of(
				List.of().getClass(), List.of(0).getClass(), List.of(0, 1, 2).getClass(),
				List.of(0, 1, 2).subList(0, 2).getClass(), Set.of().getClass(), Set.of(0).getClass(),
				Set.of(0, 1, 2).getClass(), Map.of().getClass(), Map.of(0, 0).getClass(),
				Map.of(0, 0, 1, 1, 2, 2).getClass(),
				Arrays.asList().getClass(),
				Collections.emptyList().getClass(), Collections.emptySet().getClass(),
				Collections.emptyMap().getClass(), Collections.singletonList(0).getClass(),
				Collections.singleton(0).getClass(), Collections.singletonMap(0, 0).getClass(),
				Collections.unmodifiableList(new ArrayList<>()).getClass(),
				Collections.unmodifiableList(new LinkedList<>()).getClass(),
				Collections.unmodifiableSet(new HashSet<>()).getClass(),
				Collections.unmodifiableMap(new HashMap<>()).getClass(),
				Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
				Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(),
				Collections.unmodifiableSortedMap(new TreeMap<>()).getClass()));
		return Set.copyOf(classes);
	}
}

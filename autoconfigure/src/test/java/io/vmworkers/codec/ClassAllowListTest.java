package io.vmworkers.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ClassAllowListTest {

	@TempDir
	static Path outsideClasses;

	private static URLClassLoader loader;

	private final ClassAllowList acme = new ClassAllowList(List.of("com.acme"));

	@BeforeAll
	static void compileOutsideClasses() {
		OutsideClasses.compileInto(outsideClasses);
		loader = OutsideClasses.newLoader(outsideClasses);
	}

	@AfterAll
	static void closeLoader() throws Exception {
		loader.close();
	}

	@Test
	void packagePrefixAdmitsThePackageAndItsSubpackagesOnly() throws Exception {
		assertThat(acme.isAllowed(outside(OutsideClasses.POSE))).isTrue();
		assertThat(acme.isAllowed(outside(OutsideClasses.DEEP))).isTrue();
		assertThat(acme.isAllowed(outside(OutsideClasses.OUTER_INNER))).isTrue();
		assertThat(acme.isAllowed(outside(OutsideClasses.LOOK_ALIKE))).isFalse();
		assertThat(acme.isAllowed(outside(OutsideClasses.SPRING))).isFalse();
	}

	@Test
	void libraryPackageIsAlwaysAllowed() {
		ClassAllowList empty = new ClassAllowList(List.of());

		assertThat(empty.isAllowed(RemoteThrowable.class)).isTrue();
		assertThat(empty.isAllowed(RemoteThrowable.Frame.class)).isTrue();
		assertThat(empty.isAllowed(ClassAllowListTest.class)).isTrue();
	}

	@Test
	void arraysFollowTheirInnermostComponent() throws Exception {
		Class<?> pose = outside(OutsideClasses.POSE);
		Class<?> other = outside(OutsideClasses.LOOK_ALIKE);

		assertThat(acme.isAllowed(int[].class)).isTrue();
		assertThat(acme.isAllowed(long[][].class)).isTrue();
		assertThat(acme.isAllowed(String[].class)).isTrue();
		assertThat(acme.isAllowed(Object[].class)).isTrue();
		assertThat(acme.isAllowed(Array.newInstance(pose, 0, 0).getClass())).isTrue();
		assertThat(acme.isAllowed(Array.newInstance(other, 0).getClass())).isFalse();
		assertThat(acme.isAllowed(Thread[][].class)).isFalse();
	}

	@Test
	void refusedArrayNamesItsComponentClass() throws Exception {
		Class<?> otherArray = Array.newInstance(outside(OutsideClasses.LOOK_ALIKE), 0, 0).getClass();

		assertThatThrownBy(() -> acme.check(otherArray))
				.isInstanceOf(ClassNotAllowedException.class)
				.hasMessage("class com.acmex.Other is not allowed on the channel; add its package to "
						+ "vmworkers.serialization.allowed-packages")
				.extracting(e -> ((ClassNotAllowedException) e).getRefusedClassName())
				.isEqualTo("com.acmex.Other");
	}

	@Test
	void refusalMessageNamesTheClassAndTheProperty() throws Exception {
		Class<?> pose = outside(OutsideClasses.POSE);

		assertThatThrownBy(() -> new ClassAllowList(List.of("org.example")).check(pose))
				.isInstanceOf(ClassNotAllowedException.class)
				.hasMessage("class com.acme.Pose is not allowed on the channel; add its package to "
						+ "vmworkers.serialization.allowed-packages");
	}

	@Test
	void jdkValueAndCollectionTypesAreAllowed() {
		List<Class<?>> jdkTypes = List.of(int.class, boolean.class, void.class, Integer.class, Long.class,
				Character.class, Double.class, String.class, Void.class, BigInteger.class, BigDecimal.class,
				Duration.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
				OffsetDateTime.class, ZonedDateTime.class, Year.class, YearMonth.class, MonthDay.class, Period.class,
				ZoneOffset.class, ZoneId.of("Europe/Paris").getClass(), DayOfWeek.class, Month.class,
				TimeUnit.class, ChronoUnit.class, UUID.class, Optional.class, OptionalInt.class, OptionalLong.class,
				OptionalDouble.class, BitSet.class, Date.class, Locale.class, Currency.class, URI.class,
				ArrayList.class, LinkedList.class, ArrayDeque.class, HashMap.class, LinkedHashMap.class,
				TreeMap.class, HashSet.class, LinkedHashSet.class, TreeSet.class, EnumMap.class,
				EnumSet.of(TimeUnit.SECONDS).getClass(), ConcurrentHashMap.class, ConcurrentSkipListMap.class,
				ConcurrentSkipListSet.class, CopyOnWriteArrayList.class, List.of().getClass(),
				List.of(1).getClass(), List.of(1, 2, 3).getClass(), List.copyOf(List.of(1, 2)).getClass(),
				Set.of(1).getClass(), Set.of(1, 2, 3).getClass(), Map.of().getClass(), Map.of(1, 2).getClass(),
				Map.of(1, 2, 3, 4).getClass(), Arrays.asList(1, 2).getClass(), Collections.emptyList().getClass(),
				Collections.emptySet().getClass(), Collections.emptyMap().getClass(),
				Collections.singletonList(1).getClass(), Collections.singleton(1).getClass(),
				Collections.singletonMap(1, 2).getClass(),
				Collections.unmodifiableList(new ArrayList<>()).getClass(),
				Collections.unmodifiableList(new LinkedList<>()).getClass(),
				Collections.unmodifiableSet(new HashSet<>()).getClass(),
				Collections.unmodifiableMap(new HashMap<>()).getClass(),
				Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
				Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(),
				Collections.unmodifiableSortedMap(new TreeMap<>()).getClass());
		ClassAllowList empty = new ClassAllowList(List.of());

		assertThat(jdkTypes).allSatisfy(type -> assertThat(empty.isAllowed(type)).as(type.getName()).isTrue());
	}

	@Test
	void otherJdkClassesAreRefused() {
		List<Class<?>> refused = List.of(Thread.class, Class.class, File.class, ClassLoader.class,
				AtomicInteger.class, ObjectName.class, Runtime.class, Collections.synchronizedList(new ArrayList<>())
						.getClass(), new HashMap<>().keySet().getClass());
		ClassAllowList empty = new ClassAllowList(List.of());

		assertThat(refused).allSatisfy(type -> assertThat(empty.isAllowed(type)).as(type.getName()).isFalse());
	}

	@Test
	void lambdaIsRefusedEvenInAllowedPackage() {
		Runnable lambda = () -> { };

		assertThat(acme.isAllowed(lambda.getClass())).isFalse();
	}

	@Test
	void checkingDoesNotInitializeTheClass() throws Exception {
		CanaryFlag.INITIALIZED.set(false);
		try (URLClassLoader fresh = OutsideClasses.newLoader(outsideClasses)) {
			Class<?> canary = Class.forName(OutsideClasses.CANARY, false, fresh);

			assertThat(new ClassAllowList(List.of("com.untrusted")).isAllowed(canary)).isTrue();
			assertThatThrownBy(() -> acme.check(canary)).isInstanceOf(ClassNotAllowedException.class);
			assertThat(CanaryFlag.INITIALIZED).isFalse();
		}
	}

	@Test
	void entryThatIsNotAPackageNameIsRejected() {
		assertThatIllegalArgumentException()
				.isThrownBy(() -> new ClassAllowList(List.of("com.acme.*")))
				.withMessage("allowed package 'com.acme.*' is not a package name; list package prefixes such as "
						+ "com.acme in vmworkers.serialization.allowed-packages");
		assertThatIllegalArgumentException().isThrownBy(() -> new ClassAllowList(List.of(" ")));
	}

	@Test
	void surroundingWhitespaceIsIgnored() throws Exception {
		assertThat(new ClassAllowList(List.of(" com.acme ")).isAllowed(outside(OutsideClasses.POSE))).isTrue();
	}

	@Test
	void throwableNamesAreAdmittedFromTheJavaPackagesAndTheAllowedPackagesOnly() {
		assertThat(acme.isAllowedThrowableName("java.lang.IllegalStateException")).isTrue();
		assertThat(acme.isAllowedThrowableName("java.sql.SQLException")).isTrue();
		assertThat(acme.isAllowedThrowableName("com.acme.PoseException")).isTrue();
		assertThat(acme.isAllowedThrowableName("com.acme.Outer$FailedException")).isTrue();
		assertThat(acme.isAllowedThrowableName("io.vmworkers.codec.ClassNotAllowedException")).isTrue();
		assertThat(acme.isAllowedThrowableName("javax.management.JMException")).isFalse();
		assertThat(acme.isAllowedThrowableName("jdk.internal.misc.Fake")).isFalse();
		assertThat(acme.isAllowedThrowableName("javafx.Fake")).isFalse();
		assertThat(acme.isAllowedThrowableName("com.acmex.FailedException")).isFalse();
		assertThat(acme.isAllowedThrowableName("com.untrusted.CanaryException")).isFalse();
		assertThat(acme.isAllowedThrowableName("TopLevelException")).isFalse();
		assertThat(acme.isAllowedThrowableName("[Ljava.lang.IllegalStateException;")).isFalse();
		assertThat(acme.isAllowedThrowableName("[Lcom.acme.PoseException;")).isFalse();
		assertThat(acme.isAllowedThrowableName("com/acme/PoseException")).isFalse();
		assertThat(acme.isAllowedThrowableName("")).isFalse();
	}

	private static Class<?> outside(String name) throws ClassNotFoundException {
		return Class.forName(name, false, loader);
	}
}

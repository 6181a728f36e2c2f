package io.vmworkers.protocol;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import jakarta.annotation.PostConstruct;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TaskMethodsTests {

	@Test
	void routesWorkerMethodsOnlyInStableOrder() throws Exception {
		TaskMethods methods = TaskMethods.of(Sample.class);
		List<String> names = java.util.stream.IntStream.range(0, 4).mapToObj((i) -> methods.method(i).getName()).toList();
		assertThat(names).containsExactly("compute", "compute", "onData", "work");
		assertThat(methods.indexOf(Sample.class.getDeclaredMethod("onMaster"))).isEqualTo(-1);
		assertThat(methods.indexOf(Sample.class.getDeclaredMethod("init"))).isEqualTo(-1);
		assertThat(methods.indexOf(Sample.class.getDeclaredMethod("destroy"))).isEqualTo(-1);
		assertThat(methods.indexOf(Sample.class.getDeclaredMethod("helper"))).isEqualTo(-1);
		assertThat(methods.indexOf(Object.class.getDeclaredMethod("toString"))).isEqualTo(-1);
		assertThat(methods.indexOf(Sample.class.getDeclaredMethod("work"))).isEqualTo(3);
		assertThatIllegalArgumentExceptionFor(methods);
	}

	private static void assertThatIllegalArgumentExceptionFor(TaskMethods methods) {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> methods.method(4))
			.withMessageContaining("master and worker run different code");
	}

	@Test
	void inheritedMethodsAreRoutedOnce() throws Exception {
		TaskMethods methods = TaskMethods.of(SubSample.class);
		assertThat(methods.indexOf(SubSample.class.getDeclaredMethod("work")))
			.isEqualTo(methods.indexOf(Sample.class.getDeclaredMethod("work")))
			.isNotNegative();
	}

	@Test
	void asyncMethodsAreRecognized() throws Exception {
		assertThat(TaskMethods.isAsync(Sample.class.getDeclaredMethod("compute", String.class))).isTrue();
		assertThat(TaskMethods.isAsync(Sample.class.getDeclaredMethod("work"))).isFalse();
	}

	@Test
	void finalWorkerMethodsFailFastNamingTheFix() {
		assertThatIllegalStateException().isThrownBy(() -> TaskMethods.of(FinalSample.class).checkInterceptable())
			.withMessageContaining("FinalSample.locked()")
			.withMessageContaining("remove 'final'");
	}

	static class Sample implements DisposableBean {

		public int work() {
			return 1;
		}

		int compute(int value) {
			return value;
		}

		public CompletableFuture<String> compute(String value) {
			return CompletableFuture.completedFuture(value);
		}

		@OnData
		void onData(String value) {
		}

		@OnMaster
		public void onMaster() {
		}

		@PostConstruct
		void init() {
		}

		@Override
		public void destroy() {
		}

		private void helper() {
		}

		@Override
		public String toString() {
			return "sample";
		}

	}

	static class SubSample extends Sample {

		@Override
		public int work() {
			return 2;
		}

	}

	static class FinalSample {

		public final int locked() {
			return 1;
		}

	}

}

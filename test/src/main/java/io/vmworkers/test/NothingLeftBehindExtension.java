package io.vmworkers.test;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The check of {@link VerifyNothingLeftBehind}.
 */
public final class NothingLeftBehindExtension implements AfterAllCallback {

	@Override
	public void afterAll(ExtensionContext context) {
		VerifyNothingLeftBehind settings = AnnotatedElementUtils.findMergedAnnotation(context.getRequiredTestClass(),
				VerifyNothingLeftBehind.class);
		Path directory = (settings != null) ? Path.of(settings.channelDirectory()) : WorkerLeftovers.DEFAULT_DIRECTORY;
		Duration timeout = Duration.ofSeconds((settings != null) ? settings.timeoutSeconds() : 10);
		WorkerLeftovers left = WorkerLeftovers.awaitNone(directory, timeout);
		if (!left.isEmpty()) {
			throw new AssertionError(left.describe());
		}
	}

}

package io.vmworkers.codec;

import java.util.concurrent.atomic.AtomicBoolean;

/** Records whether a canary class compiled by a test ran its static initializer. */
public final class CanaryFlag {

	/** Set by the canary's static initializer. */
	public static final AtomicBoolean INITIALIZED = new AtomicBoolean();

	private CanaryFlag() {
	}
}

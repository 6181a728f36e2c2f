package io.vmworkers.soak;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts a soak master hands to the driver: one line on its output,
 * {@code soak-result key=value key=value ...}.
 */
final class MasterReport {

	static final String PREFIX = "soak-result ";

	private final Map<String, Long> values;

	MasterReport(Map<String, Long> values) {
		this.values = new LinkedHashMap<>(values);
	}

	static boolean isReport(String line) {
		return line.startsWith(PREFIX);
	}

	static MasterReport parse(String line) {
		Map<String, Long> values = new LinkedHashMap<>();
		for (String pair : line.substring(PREFIX.length()).trim().split(" ")) {
			int equals = pair.indexOf('=');
			values.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
		}
		return new MasterReport(values);
	}

	String format() {
		StringBuilder line = new StringBuilder(PREFIX);
		this.values.forEach((key, value) -> line.append(key).append('=').append(value).append(' '));
		return line.toString().trim();
	}

	/**
	 * Returns a count.
	 * @param key its name
	 * @return the count
	 * @throws IllegalArgumentException when the master did not report it
	 */
	long get(String key) {
		Long value = this.values.get(key);
		if (value == null) {
			throw new IllegalArgumentException("the master reported no '" + key + "'; it reported " + this.values.keySet());
		}
		return value;
	}

}

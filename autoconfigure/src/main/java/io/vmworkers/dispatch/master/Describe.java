package io.vmworkers.dispatch.master;

import java.util.ArrayList;
import java.util.List;

import io.vmworkers.process.WorkerProcess;

/**
 * Describes a worker process for an error message: how it ended, its command and its last output.
 */
final class Describe {

	private Describe() {
	}

	/**
	 * Describes a process, as a suffix for a message.
	 * @param process the process, or null
	 * @return the description, starting with "; ", or empty for no process
	 */
	static String process(WorkerProcess process) {
		if (process == null) {
			return "";
		}
		StringBuilder text = new StringBuilder();
		text.append("; pid=").append(process.pid()).append(", ").append(process.describeExit());
		text.append("; command: ").append(String.join(" ", abbreviate(process.command())));
		List<String> tail = process.outputTail();
		if (tail.isEmpty()) {
			text.append("; no output");
		}
		else {
			text.append("; last output:");
			tail.forEach((line) -> text.append(System.lineSeparator()).append("  ").append(line));
		}
		return text.toString();
	}

	/**
	 * Starts a text with a capital, for a log line that starts with a name like {@code worker 'x'}.
	 * @param text the text
	 * @return the text, capitalized
	 */
	static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static List<String> abbreviate(List<String> command) {
		List<String> shown = new ArrayList<>(command.size());
		for (String part : command) {
			shown.add((part.length() > 200) ? part.substring(0, 200) + "...(" + part.length() + " chars)" : part);
		}
		return shown;
	}

}

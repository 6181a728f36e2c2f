package io.vmworkers.protocol;

import java.util.HashMap;
import java.util.Map;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * How a trace context crosses in a frame: its entry count, then each key and value as strings;
 * read back refusing a count larger than the bytes left (each entry takes at least one).
 */
final class TraceContexts {

	private TraceContexts() {
	}

	static void write(Output output, Map<String, String> context) {
		output.writeVarInt(context.size(), true);
		context.forEach((key, value) -> {
			output.writeString(key);
			output.writeString(value);
		});
	}

	static Map<String, String> read(Input input, String holder) {
		int entries = checkedCount(input, holder, "trace entries");
		Map<String, String> context = new HashMap<>(entries * 2);
		for (int i = 0; i < entries; i++) {
			context.put(input.readString(), input.readString());
		}
		return context;
	}

	/**
	 * Reads a count of items that each take at least one byte of what is left of the message.
	 * @param input the message
	 * @param holder what declares them, for the error ("an invocation")
	 * @param what what is counted, for the error
	 * @return the count
	 * @throws KryoException when the count is negative or larger than the bytes left
	 */
	static int checkedCount(Input input, String holder, String what) {
		int count = input.readVarInt(true);
		int left = input.limit() - input.position();
		if (count < 0 || count > left) {
			throw new KryoException(holder + " declares " + count + " " + what + ", but only " + left
					+ " bytes remain in the message");
		}
		return count;
	}

}

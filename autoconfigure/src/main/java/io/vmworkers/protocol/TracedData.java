package io.vmworkers.protocol;

import java.util.HashMap;
import java.util.Map;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * An object put inside a span, with the span's trace context: the receiving end unwraps it before
 * anyone sees it and continues the trace in the {@code @OnData} handler. Objects put outside any
 * span cross as they are.
 * @param trace the trace context
 * @param payload the object put
 */
@DefaultSerializer(TracedData.KryoSerializer.class)
public record TracedData(Map<String, String> trace, Object payload) {

	/** Writes the context's entries, then the object with its class. */
	public static final class KryoSerializer extends Serializer<TracedData> {

		public KryoSerializer() {
			super(false, true);
		}

		@Override
		public void write(Kryo kryo, Output output, TracedData data) {
			output.writeVarInt(data.trace.size(), true);
			data.trace.forEach((key, value) -> {
				output.writeString(key);
				output.writeString(value);
			});
			kryo.writeClassAndObject(output, data.payload);
		}

		@Override
		public TracedData read(Kryo kryo, Input input, Class<? extends TracedData> type) {
			int entries = input.readVarInt(true);
			int left = input.limit() - input.position();
			if (entries < 0 || entries > left) {
				throw new KryoException("traced data declares " + entries + " trace entries, but only " + left
						+ " bytes remain in the message");
			}
			Map<String, String> trace = new HashMap<>(entries * 2);
			for (int i = 0; i < entries; i++) {
				trace.put(input.readString(), input.readString());
			}
			return new TracedData(trace, kryo.readClassAndObject(input));
		}

	}

}

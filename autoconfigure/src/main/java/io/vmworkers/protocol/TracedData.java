package io.vmworkers.protocol;

import java.util.Map;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.Kryo;
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

	/** Writes the context's entries ({@link TraceContexts}), then the object with its class. */
	public static final class KryoSerializer extends Serializer<TracedData> {

		public KryoSerializer() {
			super(false, true);
		}

		@Override
		public void write(Kryo kryo, Output output, TracedData data) {
			TraceContexts.write(output, data.trace);
			kryo.writeClassAndObject(output, data.payload);
		}

		@Override
		public TracedData read(Kryo kryo, Input input, Class<? extends TracedData> type) {
			Map<String, String> trace = TraceContexts.read(input, "traced data");
			return new TracedData(trace, kryo.readClassAndObject(input));
		}

	}

}

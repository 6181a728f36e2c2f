package io.vmworkers.protocol;

import java.util.Map;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The payload of a CALL frame: which routable method (by its index in {@link TaskMethods}) and the
 * arguments. It has a serializer of its own: it is on every call's path, and Kryo's field
 * serializer, going through reflection and an array serializer, took two to three times as long
 * to write and read it as an {@code Integer}. A call made in a trace also carries the trace's
 * context (for example W3C's {@code traceparent}); one made outside any adds not a byte.
 */
@DefaultSerializer(Invocation.KryoSerializer.class)
public final class Invocation {

	private static final Object[] NO_ARGUMENTS = {};

	private final int method;

	private final Object[] arguments;

	private final Map<String, String> trace;

	/**
	 * Creates an invocation outside any trace.
	 * @param method the method's index
	 * @param arguments the arguments, null for none
	 */
	public Invocation(int method, Object[] arguments) {
		this(method, arguments, null);
	}

	/**
	 * Creates an invocation.
	 * @param method the method's index
	 * @param arguments the arguments, null for none
	 * @param trace the trace context the worker continues, or null (or empty) for none
	 */
	public Invocation(int method, Object[] arguments, Map<String, String> trace) {
		this.method = method;
		this.arguments = (arguments != null) ? arguments : NO_ARGUMENTS;
		this.trace = (trace != null && !trace.isEmpty()) ? trace : null;
	}

	public int method() {
		return this.method;
	}

	public Object[] arguments() {
		return this.arguments;
	}

	/**
	 * Returns the trace context the call was made in.
	 * @return its entries, or null when the call was made outside any trace
	 */
	public Map<String, String> trace() {
		return this.trace;
	}

	/**
	 * Writes the method's index, shifted left with the lowest bit telling whether a trace context
	 * follows, and the argument count as variable-length ints, then each argument with its class,
	 * then the trace context's entries if any; reads an invocation back, refusing a count larger
	 * than the bytes left (each argument or entry takes at least one) before it allocates.
	 */
	public static final class KryoSerializer extends Serializer<Invocation> {

		public KryoSerializer() {
			super(false, true);
		}

		@Override
		public void write(Kryo kryo, Output output, Invocation invocation) {
			Map<String, String> trace = invocation.trace;
			output.writeVarInt((invocation.method << 1) | ((trace != null) ? 1 : 0), true);
			Object[] arguments = invocation.arguments;
			output.writeVarInt(arguments.length, true);
			for (Object argument : arguments) {
				kryo.writeClassAndObject(output, argument);
			}
			if (trace != null) {
				TraceContexts.write(output, trace);
			}
		}

		@Override
		public Invocation read(Kryo kryo, Input input, Class<? extends Invocation> type) {
			int word = input.readVarInt(true);
			int count = TraceContexts.checkedCount(input, "an invocation", "arguments");
			Object[] arguments = new Object[count];
			for (int i = 0; i < count; i++) {
				arguments[i] = kryo.readClassAndObject(input);
			}
			Map<String, String> trace = ((word & 1) != 0) ? TraceContexts.read(input, "an invocation") : null;
			return new Invocation(word >>> 1, arguments, trace);
		}

	}

}

package io.vmworkers.protocol;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The payload of a CALL frame: which routable method (by its index in {@link TaskMethods}) and the
 * arguments. It has a serializer of its own: it is on every call's path, and Kryo's field
 * serializer, going through reflection and an array serializer, took two to three times as long
 * to write and read it as an {@code Integer}.
 */
@DefaultSerializer(Invocation.KryoSerializer.class)
public final class Invocation {

	private static final Object[] NO_ARGUMENTS = {};

	private final int method;

	private final Object[] arguments;

	/**
	 * Creates an invocation.
	 * @param method the method's index
	 * @param arguments the arguments, null for none
	 */
	public Invocation(int method, Object[] arguments) {
		this.method = method;
		this.arguments = (arguments != null) ? arguments : NO_ARGUMENTS;
	}

	public int method() {
		return this.method;
	}

	public Object[] arguments() {
		return this.arguments;
	}

	/**
	 * Writes the method's index and the argument count as variable-length ints, then each argument
	 * with its class; reads an invocation back, refusing a count larger than the bytes left (each
	 * argument takes at least one) before it allocates the array.
	 */
	public static final class KryoSerializer extends Serializer<Invocation> {

		public KryoSerializer() {
			super(false, true);
		}

		@Override
		public void write(Kryo kryo, Output output, Invocation invocation) {
			output.writeVarInt(invocation.method, true);
			Object[] arguments = invocation.arguments;
			output.writeVarInt(arguments.length, true);
			for (Object argument : arguments) {
				kryo.writeClassAndObject(output, argument);
			}
		}

		@Override
		public Invocation read(Kryo kryo, Input input, Class<? extends Invocation> type) {
			int method = input.readVarInt(true);
			int count = input.readVarInt(true);
			int left = input.limit() - input.position();
			if (count < 0 || count > left) {
				throw new KryoException("an invocation declares " + count + " arguments, but only " + left
						+ " bytes remain in the message");
			}
			Object[] arguments = new Object[count];
			for (int i = 0; i < count; i++) {
				arguments[i] = kryo.readClassAndObject(input);
			}
			return new Invocation(method, arguments);
		}

	}

}

package io.vmworkers.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.esotericsoftware.kryo.KryoException;
import io.vmworkers.codec.ClassAllowList;
import io.vmworkers.codec.KryoCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The CALL frame's payload through the codec the channels use, with the protocol's registrations.
 */
class InvocationSerializerTests {

	private final KryoCodec codec = new KryoCodec(new ClassAllowList(List.of("io.vmworkers.protocol")),
			getClass().getClassLoader(), 1 << 20, Frames.payloadTypes());

	@Test
	void methodIndexAndArgumentsSurviveTheRoundTrip() {
		Object[] arguments = { 41, null, "text", new int[] { 1, 2 }, new Point(3, 4), List.of("a", "b") };
		Invocation read = roundTrip(new Invocation(300, arguments));
		assertThat(read.method()).isEqualTo(300);
		assertThat(read.arguments()).hasSize(6);
		assertThat(read.arguments()[0]).isEqualTo(41);
		assertThat(read.arguments()[1]).isNull();
		assertThat(read.arguments()[2]).isEqualTo("text");
		assertThat((int[]) read.arguments()[3]).containsExactly(1, 2);
		assertThat(read.arguments()[4]).isEqualTo(new Point(3, 4));
		assertThat(read.arguments()[5]).isEqualTo(List.of("a", "b"));
	}

	@Test
	void noArgumentsReadAsAnEmptyArray() {
		assertThat(roundTrip(new Invocation(0, null)).arguments()).isEmpty();
		assertThat(roundTrip(new Invocation(1, new Object[0])).arguments()).isEmpty();
	}

	@Test
	void sameObjectPassedTwiceStaysOneObject() {
		Point shared = new Point(1, 2);
		Invocation read = roundTrip(new Invocation(2, new Object[] { shared, shared }));
		assertThat(read.arguments()[0]).isSameAs(read.arguments()[1]);
	}

	@Test
	void anArgumentCountLargerThanTheMessageIsRefusedBeforeAllocatingAndTheCodecStaysUsable() {
		byte[] empty = encode(new Invocation(0, null));
		// The message ends with the argument count, 0; declare 1,000,000 (varint C0 84 3D) instead.
		byte[] hostile = Arrays.copyOf(empty, empty.length + 2);
		hostile[empty.length - 1] = (byte) 0xC0;
		hostile[empty.length] = (byte) 0x84;
		hostile[empty.length + 1] = 0x3D;
		assertThatExceptionOfType(KryoException.class)
			.isThrownBy(() -> this.codec.decode(hostile, 0, hostile.length))
			.withMessageContaining("declares 1000000 arguments");
		assertThat(roundTrip(new Invocation(5, new Object[] { 7 })).arguments()).containsExactly(7);
	}

	@Test
	void traceContextCrossesWithTheCallAndAnUntracedCallCarriesNoTraceBytes() {
		Map<String, String> trace = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
				"tracestate", "vendor=1");
		Invocation read = roundTrip(new Invocation(300, new Object[] { 41 }, trace));
		assertThat(read.method()).isEqualTo(300);
		assertThat(read.arguments()).containsExactly(41);
		assertThat(read.trace()).isEqualTo(trace);
		assertThat(roundTrip(new Invocation(300, new Object[] { 41 })).trace()).isNull();
		// One byte for the index (a method index below 64 and the flag), one for the count, the argument.
		assertThat(encode(new Invocation(5, new Object[] { 7 }, Map.of())))
			.isEqualTo(encode(new Invocation(5, new Object[] { 7 })));
		assertThat(encode(new Invocation(5, new Object[] { 7 }, trace)).length)
			.isGreaterThan(encode(new Invocation(5, new Object[] { 7 })).length + 60);
	}

	private Invocation roundTrip(Invocation invocation) {
		byte[] bytes = encode(invocation);
		return (Invocation) this.codec.decode(bytes, 0, bytes.length);
	}

	private byte[] encode(Invocation invocation) {
		byte[][] copy = new byte[1][];
		this.codec.encode(invocation, (buffer, length) -> copy[0] = Arrays.copyOf(buffer, length));
		return copy[0];
	}

	record Point(int x, int y) {
	}

}

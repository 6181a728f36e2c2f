package io.vmworkers.tracing;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.vmworkers.protocol.Tracing;

/**
 * {@link Tracing} through Micrometer Observation: a call made inside an observation is a
 * {@code vmworkers.client.calls} observation on the caller (client kind) and a
 * {@code vmworkers.server.calls} one on the worker (server kind); a put inside an observation is
 * a {@code vmworkers.data.put} (producer) and its
 * delivery to an {@code @OnData} handler a {@code vmworkers.data.receive} (consumer). Their
 * low-cardinality tags are {@code worker}, {@code method} (or {@code handler}) and
 * {@code outcome}. The tracing bridge's propagating handlers write the trace context into the
 * map the frame carries and read it back on the other side.
 */
public final class ObservationTracing implements Tracing {

	private final ObservationRegistry registry;

	/**
	 * Creates the tracing.
	 * @param registry where observations are made; its handlers (a tracer's) do the tracing
	 */
	public ObservationTracing(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Span startCall(String worker, String method) {
		if (this.registry.getCurrentObservation() == null) {
			// A call outside any span (a control loop's) costs nothing more than an untraced one.
			return null;
		}
		SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.CLIENT);
		context.setCarrier(new HashMap<>(4));
		context.setRemoteServiceName(worker);
		return start(Observation.createNotStarted("vmworkers.client.calls", () -> context, this.registry)
			.contextualName(worker + " " + method)
			.lowCardinalityKeyValue("worker", worker)
			.lowCardinalityKeyValue("method", method), context.getCarrier());
	}

	@Override
	public Span serveCall(String worker, String method, Map<String, String> carrier) {
		if (carrier == null) {
			return null;
		}
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.SERVER);
		context.setCarrier(carrier);
		context.setRemoteServiceName("master");
		return start(Observation.createNotStarted("vmworkers.server.calls", () -> context, this.registry)
			.contextualName(worker + " " + method)
			.lowCardinalityKeyValue("worker", worker)
			.lowCardinalityKeyValue("method", method), Map.of());
	}

	@Override
	public Span startPut(String worker) {
		if (this.registry.getCurrentObservation() == null) {
			// Data outside a span, the common case for a stream, costs nothing.
			return null;
		}
		SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
		context.setCarrier(new HashMap<>(4));
		context.setRemoteServiceName(worker);
		return start(Observation.createNotStarted("vmworkers.data.put", () -> context, this.registry)
			.contextualName(worker + " put")
			.lowCardinalityKeyValue("worker", worker), context.getCarrier());
	}

	@Override
	public Span receive(String worker, String handler, Map<String, String> carrier) {
		if (carrier == null) {
			return null;
		}
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
		context.setCarrier(carrier);
		return start(Observation.createNotStarted("vmworkers.data.receive", () -> context, this.registry)
			.contextualName(worker + " " + handler)
			.lowCardinalityKeyValue("worker", worker)
			.lowCardinalityKeyValue("handler", handler), Map.of());
	}

	private static Span start(Observation observation, Map<String, String> context) {
		observation.start();
		return new ObservedSpan(observation, observation.openScope(), context);
	}

	private static final class ObservedSpan implements Span {

		private final Observation observation;

		private final Map<String, String> context;

		private Observation.Scope scope;

		private volatile boolean failed;

		ObservedSpan(Observation observation, Observation.Scope scope, Map<String, String> context) {
			this.observation = observation;
			this.scope = scope;
			this.context = context;
		}

		@Override
		public Map<String, String> context() {
			return this.context;
		}

		@Override
		public void failed(Throwable failure) {
			this.failed = true;
			this.observation.error(failure);
		}

		@Override
		public void leave() {
			Observation.Scope current = this.scope;
			if (current != null) {
				this.scope = null;
				current.close();
			}
		}

		@Override
		public void end() {
			leave();
			this.observation.lowCardinalityKeyValue("outcome", this.failed ? "error" : "success");
			this.observation.stop();
		}

	}

}

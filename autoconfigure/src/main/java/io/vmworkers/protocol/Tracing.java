package io.vmworkers.protocol;

import java.util.Map;

/**
 * Carries a trace across the channel: a call is a span on the master and continues on the worker
 * as a child in the same trace, its context in the call's frame; data put inside a span reaches
 * the {@code @OnData} handler on the other side the same way. {@link #OFF} when no tracing is
 * present: then nothing is created and nothing is added to a frame.
 */
public interface Tracing {

	/** No tracing: every method returns null. */
	Tracing OFF = new Tracing() {

		@Override
		public Span startCall(String worker, String method) {
			return null;
		}

		@Override
		public Span serveCall(String worker, String method, Map<String, String> context) {
			return null;
		}

		@Override
		public Span startPut(String worker) {
			return null;
		}

		@Override
		public Span receive(String worker, String handler, Map<String, String> context) {
			return null;
		}

	};

	/**
	 * Begins the span of a call made inside a span, current on the calling thread.
	 * @param worker the worker's name
	 * @param method the method's name
	 * @return the span, whose context goes with the call; or null outside a span
	 */
	Span startCall(String worker, String method);

	/**
	 * Begins the span of serving a call, a child of the caller's, current on the calling thread.
	 * @param worker the worker's name
	 * @param method the method's name
	 * @param context the caller's trace context from the call's frame
	 * @return the span, or null when the call came with no context or calls are not traced
	 */
	Span serveCall(String worker, String method, Map<String, String> context);

	/**
	 * Begins the span of a {@code put} made inside a span.
	 * @param worker the worker whose channel it is
	 * @return the span, whose context goes with the object; or null outside a span
	 */
	Span startPut(String worker);

	/**
	 * Begins the span of handing an object to an {@code @OnData} handler, a child of its put's.
	 * @param worker the worker whose channel it is
	 * @param handler the handler's name
	 * @param context the put's trace context
	 * @return the span, or null when data is not traced
	 */
	Span receive(String worker, String handler, Map<String, String> context);

	/** A span begun by {@link Tracing}. */
	interface Span {

		/**
		 * Returns the trace context to send: what the other side continues.
		 * @return its entries; empty for a span that continues one
		 */
		Map<String, String> context();

		/**
		 * Records that what the span covers failed.
		 * @param failure why
		 */
		void failed(Throwable failure);

		/**
		 * Stops the span being current on this thread; the span itself goes on until {@link #end()}
		 * (a call whose answer comes later, on another thread).
		 */
		void leave();

		/**
		 * Ends the span; leaves it first if it is current on this thread.
		 */
		void end();

	}

}

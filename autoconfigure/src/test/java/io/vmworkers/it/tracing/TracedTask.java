package io.vmworkers.it.tracing;

import java.util.concurrent.CompletableFuture;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.WorkerTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Reports the trace it runs in, on the worker, as the worker's own tracer sees it. */
@WorkerTask
public class TracedTask {

	private static final Log logger = LogFactory.getLog(TracedTask.class);

	private final Tracer tracer;

	private volatile String dataTrace;

	TracedTask(Tracer tracer) {
		this.tracer = tracer;
	}

	public String traceId() {
		logger.info("serving a traced call");
		return currentTraceId();
	}

	public CompletableFuture<String> traceIdLater() {
		return CompletableFuture.completedFuture(currentTraceId());
	}

	public String dataTrace() {
		return this.dataTrace;
	}

	@OnData
	void receive(String text) {
		this.dataTrace = currentTraceId();
	}

	private String currentTraceId() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? span.context().traceId() : "none";
	}

}

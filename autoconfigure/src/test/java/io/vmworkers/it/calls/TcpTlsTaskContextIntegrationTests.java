package io.vmworkers.it.calls;

/**
 * {@link TcpTlsIntegrationTests} with a task context in the worker, which holds Boot's SSL bundles
 * besides its task.
 */
class TcpTlsTaskContextIntegrationTests extends TcpTlsIntegrationTests {

	@Override
	String[] properties() {
		return new String[] { "vmworkers.workers.echoTask.context=task" };
	}

}

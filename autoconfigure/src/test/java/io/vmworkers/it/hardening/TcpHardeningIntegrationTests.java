package io.vmworkers.it.hardening;

/**
 * {@link HardeningIntegrationTests} with every worker on the TCP transport: headers and bodies,
 * a slow handler, back-pressure on a flood nobody reads, a stop that does not wait for the send
 * timeout, and a worker that ends its own JVM.
 */
class TcpHardeningIntegrationTests extends HardeningIntegrationTests {

	@Override
	String[] properties() {
		return new String[] { "vmworkers.workers.streamTask.transport=tcp", "vmworkers.workers.exitTask.transport=tcp",
				"vmworkers.workers.freezeTask.transport=tcp" };
	}

}

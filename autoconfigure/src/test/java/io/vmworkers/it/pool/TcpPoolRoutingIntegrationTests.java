package io.vmworkers.it.pool;

/**
 * {@link PoolRoutingIntegrationTests} with the pool's processes on the TCP transport: each replica
 * its own connection, routed, failed over and answered as on shared memory.
 */
class TcpPoolRoutingIntegrationTests extends PoolRoutingIntegrationTests {

	@Override
	String[] properties() {
		return new String[] { Pools.PREFIX + "transport=tcp" };
	}

}

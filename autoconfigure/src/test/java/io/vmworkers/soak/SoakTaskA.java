package io.vmworkers.soak;

import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

@WorkerTask("soakA")
public class SoakTaskA extends SoakTask {

	SoakTaskA(WorkerChannel channel) {
		super(channel);
	}

}

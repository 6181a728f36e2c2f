package io.vmworkers.soak;

import io.vmworkers.annotation.WorkerTask;
import io.vmworkers.channel.WorkerChannel;

@WorkerTask("soakB")
public class SoakTaskB extends SoakTask {

	SoakTaskB(WorkerChannel channel) {
		super(channel);
	}

}

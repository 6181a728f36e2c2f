package io.vmworkers.soak;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask("soakA")
public class SoakTaskA {

	public int inc(int value) {
		return value + 1;
	}

}

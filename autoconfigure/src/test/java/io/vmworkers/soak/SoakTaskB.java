package io.vmworkers.soak;

import io.vmworkers.annotation.WorkerTask;

@WorkerTask("soakB")
public class SoakTaskB {

	public int inc(int value) {
		return value + 1;
	}

}

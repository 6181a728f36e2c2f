package io.vmworkers.dispatch;

import java.time.Instant;

/**
 * Why a process of a pool was replaced while it was healthy.
 * @param pid the replaced process's pid
 * @param reason for example {@code 2000 calls (vmworkers.workers.echo.recycle.max-calls=2000)}
 * @param at when its replacement took over
 */
public record RecycleInfo(long pid, String reason, Instant at) {

}

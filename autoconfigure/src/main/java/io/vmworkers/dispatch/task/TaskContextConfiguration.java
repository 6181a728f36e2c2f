package io.vmworkers.dispatch.task;

import io.vmworkers.dispatch.WorkerContext;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * The source of a worker with a task context ({@link WorkerContext#TASK}) instead of the
 * application's class: no component scan, and of the auto-configurations only those the
 * worker-role import filter keeps for a task context (vmworkers' own and property placeholders).
 * It is alone in its package, which auto-configuration registers beside the application's.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class TaskContextConfiguration {

}

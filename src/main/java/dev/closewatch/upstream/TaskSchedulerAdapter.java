package dev.closewatch.upstream;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

import org.springframework.scheduling.TaskScheduler;

/**
 * Jetty's {@link Scheduler} on closewatch's one {@link TaskScheduler}, so that the
 * WebSocket clients' connect timeouts and frame-flush timeouts need no thread of their
 * own (the thread budget is in docs/performance.md). The tasks Jetty schedules are short
 * and never block.
 */
final class TaskSchedulerAdapter extends AbstractLifeCycle implements Scheduler {

	private final TaskScheduler scheduler;

	TaskSchedulerAdapter(TaskScheduler scheduler) {
		this.scheduler = scheduler;
	}

	@Override
	public Task schedule(Runnable task, long delay, TimeUnit unit) {
		ScheduledFuture<?> future = this.scheduler.schedule(task,
				this.scheduler.getClock().instant().plusNanos(unit.toNanos(delay)));
		return () -> future.cancel(false);
	}

}

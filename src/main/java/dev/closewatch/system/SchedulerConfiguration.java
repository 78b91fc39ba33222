package dev.closewatch.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The one scheduler every reconnect and timeout waits on; nothing in closewatch sleeps.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerConfiguration {

	@Bean
	ThreadPoolTaskScheduler closewatchScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		// one thread: its tasks (reconnect timers, the liveness sweep, Jetty's connect
		// and flush timeouts) only hand work on and never block
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix("closewatch-scheduler-");
		scheduler.setRemoveOnCancelPolicy(true);
		// the supervisor's own close timeouts must still run while it stops
		scheduler.setWaitForTasksToCompleteOnShutdown(false);
		scheduler.setAcceptTasksAfterContextClose(true);
		scheduler.setPhase(Integer.MIN_VALUE);
		return scheduler;
	}

}

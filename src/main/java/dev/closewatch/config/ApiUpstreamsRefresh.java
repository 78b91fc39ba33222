package dev.closewatch.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * With {@code closewatch.cluster}: looks every publish-interval whether the upstreams
 * defined through the API changed in the shared database (another replica's {@code PUT}
 * or {@code DELETE}), and applies them when they did. On a thread of its own: a database
 * that hangs holds up no reconnect timer.
 */
final class ApiUpstreamsRefresh implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ApiUpstreamsRefresh.class);

	private final ScheduledExecutorService executor = Executors
		.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("closewatch-api-upstreams-"));

	private final ApiUpstreams apiUpstreams;

	private boolean failing;

	ApiUpstreamsRefresh(ApiUpstreams apiUpstreams, Duration interval) {
		this.apiUpstreams = apiUpstreams;
		this.executor.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void refresh() {
		try {
			this.apiUpstreams.refresh();
			if (this.failing) {
				logger.info("Reading the upstreams defined through the API from the database again");
				this.failing = false;
			}
		}
		catch (DataAccessException ex) {
			if (!this.failing) {
				logger.warn("Could not read the upstreams defined through the API from the database (this "
						+ "replica keeps the last set it read; retried): {}", ex.getMessage());
				this.failing = true;
			}
		}
		catch (RuntimeException ex) {
			logger.error("Could not apply the upstreams defined through the API", ex);
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}

package dev.closewatch.demo;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The {@code training} profile: the demo upstream ({@link DemoConfiguration}), the
 * upstreams of {@link TrainingEnvironment} and the {@link TrainingRun} that exercises
 * them, after which the process exits: 0 when the run saw what it waited for and every
 * answer was the expected one, 1 otherwise.
 */
@Configuration(proxyBeanMethods = false)
@Profile(TrainingEnvironment.PROFILE)
@EnableConfigurationProperties(TrainingProperties.class)
class TrainingConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(TrainingConfiguration.class);

	@Bean
	TrainingRun trainingRun(TrainingProperties properties, Environment environment, Clock clock, TrainingExit exit) {
		return new TrainingRun(properties, environment, clock, exit);
	}

	@Bean
	@ConditionalOnMissingBean
	TrainingExit trainingExit(ConfigurableApplicationContext context) {
		return (report) -> {
			if (report.succeeded()) {
				logger.info("Training run done in {} ms: {} close events, {} requests", report.duration().toMillis(),
						report.closes(), report.requests());
			}
			else {
				logger.error("Training run failed after {} ms: {}", report.duration().toMillis(), report.failures());
			}
			int code = report.succeeded() ? 0 : 1;
			System.exit(SpringApplication.exit(context, () -> code));
		};
	}

}

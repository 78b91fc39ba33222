package dev.closewatch.demo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.closewatch.CloseWatchApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training profile as the image build runs it: the whole service on a free loopback
 * port, monitoring the demo upstream it serves itself, read through its own REST API.
 */
class TrainingRunTests {

	@Test
	void trainingRunSeesItsClosesAndEveryAnswerItExpects() throws Exception {
		TrainingReport report = train("closewatch.training.upstreams=20", "closewatch.training.closes=100",
				"closewatch.training.max-duration=60s", "closewatch.demo.session-length=100ms");

		assertThat(report.failures()).isEmpty();
		assertThat(report.succeeded()).isTrue();
		assertThat(report.closes()).isGreaterThanOrEqualTo(100);
		// the polls while waiting, then one of each kind
		assertThat(report.requests()).isGreaterThan(20);
	}

	@Test
	void trainingRunThatCannotSeeItsClosesInTimeFails() throws Exception {
		TrainingReport report = train("closewatch.training.upstreams=2", "closewatch.training.closes=1000000",
				"closewatch.training.max-duration=2s");

		assertThat(report.succeeded()).isFalse();
		assertThat(report.failures()).anySatisfy(
				(failure) -> assertThat(failure).startsWith("only ").endsWith(" of 1000000 close events within PT2S"));
	}

	private static TrainingReport train(String... properties) throws Exception {
		CompletableFuture<TrainingReport> done = new CompletableFuture<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CloseWatchApplication.class)
			.profiles("training")
			.properties(properties)
			.initializers(
					(ctx) -> ctx.getBeanFactory().registerSingleton("trainingExit", (TrainingExit) done::complete))
			.run()) {
			TrainingReport report = done.get(90, TimeUnit.SECONDS);
			assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
			return report;
		}
	}

}

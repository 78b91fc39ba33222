package dev.closewatch.demo;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TrainingEnvironmentTests {

	private final TrainingEnvironment training = new TrainingEnvironment();

	@Test
	void withoutTheTrainingProfileNothingIsAdded() {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles("demo");

		this.training.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getPropertySources().contains(TrainingEnvironment.SOURCE)).isFalse();
		assertThat(environment.getProperty("closewatch.upstreams.training-0001.url")).isNull();
	}

	@Test
	void trainingUpstreamsPointAtTheDemoUpstreamOnAFreeLoopbackPort() {
		MockEnvironment environment = new MockEnvironment().withProperty("closewatch.training.upstreams", "3");
		environment.setActiveProfiles("training");

		this.training.postProcessEnvironment(environment, new SpringApplication());

		int port = environment.getRequiredProperty("server.port", Integer.class);
		assertThat(port).isPositive();
		assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
		assertThat(environment.getProperty("closewatch.upstreams.training-0003.url"))
			.isEqualTo("ws://127.0.0.1:" + port + "/demo/upstream");
		assertThat(environment.getProperty("closewatch.upstreams.training-0004.url")).isNull();
		assertThat(environment.getProperty("closewatch.upstreams.training-refused.url"))
			.isEqualTo("ws://127.0.0.1:9/nothing-listens-here");
		assertThat(environment.getProperty("closewatch.upstreams.training-rejected.url"))
			.isEqualTo("ws://127.0.0.1:" + port + "/no-upstream-here");
	}

	@Test
	void aConfiguredPortIsKept() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "18123")
			.withProperty("closewatch.training.upstreams", "1");
		environment.setActiveProfiles("training");

		this.training.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("closewatch.upstreams.training-0001.url"))
			.isEqualTo("ws://127.0.0.1:18123/demo/upstream");
	}

	@Test
	void noTrainingUpstreamsIsAnError() {
		MockEnvironment environment = new MockEnvironment().withProperty("closewatch.training.upstreams", "0");
		environment.setActiveProfiles("training");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.training.postProcessEnvironment(environment, new SpringApplication()))
			.withMessage("closewatch.training.upstreams must be at least 1, was 0");
	}

}

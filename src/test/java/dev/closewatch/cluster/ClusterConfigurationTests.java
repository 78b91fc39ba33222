package dev.closewatch.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(ClusterConfiguration.class);

	@Test
	void staysOutOfTheWayUnlessEnabled() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ShardCoordinator.class));
	}

	@Test
	void refusesToStartOnAStoreOtherThanPostgresqlNamingBothProperties() {
		this.contextRunner
			.withPropertyValues("closewatch.cluster.enabled=true", "closewatch.cluster.member-id=a",
					"closewatch.history.store=sqlite")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("closewatch.cluster.enabled=true needs closewatch.history.store=postgresql")
				.hasMessageContaining("the store is 'sqlite'"));
	}

	@Test
	void refusesARenewIntervalOverAThirdOfTheLeaseTtl() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClusterProperties(true, "a", Duration.ofSeconds(10), Duration.ofSeconds(4), 1024,
					Duration.ofSeconds(1)))
			.withMessageContaining("closewatch.cluster.renew-interval (PT4S) must be at most a third")
			.withMessageContaining("closewatch.cluster.lease-ttl (PT10S)");
	}

	@Test
	void refusesAShardCountOutsideOneToSixtyFiveThousandFiveHundredThirtySix() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClusterProperties(true, "a", Duration.ofSeconds(15), Duration.ofSeconds(3), 0,
					Duration.ofSeconds(1)))
			.withMessageContaining("closewatch.cluster.shards");
	}

	@Test
	void namesTheMemberAfterTheHostUnlessConfigured() {
		assertThat(ClusterConfiguration.memberId(new ClusterProperties(true, " pod-1 ", Duration.ofSeconds(15),
				Duration.ofSeconds(3), 1024, Duration.ofSeconds(1))))
			.isEqualTo("pod-1");
		assertThat(ClusterConfiguration.memberId(new ClusterProperties(true, null, Duration.ofSeconds(15),
				Duration.ofSeconds(3), 1024, Duration.ofSeconds(1))))
			.isNotBlank();
	}

}

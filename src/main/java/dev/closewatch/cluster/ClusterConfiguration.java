package dev.closewatch.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Locale;

import dev.closewatch.upstream.UpstreamScope;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.Upstreams;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.StringUtils;

/**
 * With {@code closewatch.cluster.enabled}: this replica's lease rounds, the scope that
 * limits its connections to the upstreams of its shards, and the cluster's meters.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "closewatch.cluster.enabled", havingValue = "true")
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

	@Bean(destroyMethod = "close")
	OwnershipChanges ownershipChanges() {
		return new OwnershipChanges();
	}

	@Bean
	ShardCoordinator shardCoordinator(ClusterProperties properties, Environment environment,
			ObjectProvider<JdbcTemplate> jdbcTemplate, OwnershipChanges changes, ObjectProvider<Upstreams> upstreams) {
		String store = environment.getProperty("closewatch.history.store", "sqlite").trim().toLowerCase(Locale.ROOT);
		JdbcTemplate shared = jdbcTemplate.getIfAvailable();
		if (!store.equals("postgresql") || shared == null || shared.getDataSource() == null) {
			throw new IllegalStateException("closewatch.cluster.enabled=true needs closewatch.history.store=postgresql"
					+ " (the replicas share their leases and their history through it); the store is '" + store + "'");
		}
		JdbcTemplate jdbc = new JdbcTemplate(shared.getDataSource());
		// a round that hangs must fail before the leases it renews can run out
		jdbc.setQueryTimeout((int) Math.max(1, properties.renewInterval().toSeconds()));
		Shards shards = new Shards(properties.shards());
		// the connections are made after this bean (their scope is its shards): looked up
		// when a handover is checked
		ShardCoordinator coordinator = new ShardCoordinator(memberId(properties), new Leases(jdbc), shards,
				properties.leaseTtl(), properties.renewInterval(), System::nanoTime, changes,
				new PublishedHandoverCheck(shards, upstreams::getObject, new UpstreamStateTable(jdbc)),
				properties.renewInterval());
		// the first heartbeat before the connections are made: the first claim follows a
		// renew-interval later (the join delay), once replicas started together see each
		// other
		coordinator.renew();
		return coordinator;
	}

	@Bean
	ClusterView clusterView(ShardCoordinator coordinator, ClusterProperties properties, JdbcTemplate jdbcTemplate) {
		return new ClusterView(coordinator, new Leases(jdbcTemplate), properties);
	}

	@Bean
	ClusterUpstreams clusterUpstreams(ShardCoordinator coordinator, JdbcTemplate jdbcTemplate,
			ObjectProvider<Upstreams> upstreams, ObjectProvider<UpstreamSources> sources, JsonMapper jsonMapper,
			Clock clock, ClusterProperties properties) {
		return new ClusterUpstreams(coordinator, new Leases(jdbcTemplate), new UpstreamStateTable(jdbcTemplate),
				upstreams::getObject, sources::getObject, jsonMapper, clock, properties.publishInterval());
	}

	@Bean
	UpstreamScope clusterScope(ShardCoordinator coordinator) {
		return coordinator::watches;
	}

	@Bean
	ClusterMembership clusterMembership(ShardCoordinator coordinator, UpstreamSources sources, Upstreams upstreams,
			OwnershipChanges changes, Clock clock, ClusterProperties properties, JdbcTemplate jdbcTemplate,
			JsonMapper jsonMapper, ObjectProvider<MeterRegistry> meterRegistry) {
		MeterRegistry registry = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
		Gauge.builder("closewatch.cluster.members", coordinator, (c) -> c.members().size())
			.description("Live members of the cluster, as this replica's last round saw them")
			.register(registry);
		Gauge.builder("closewatch.cluster.shards.owned", coordinator, (c) -> c.owned().cardinality())
			.description("Shards whose lease this replica holds")
			.register(registry);
		Gauge.builder("closewatch.cluster.shards", properties, ClusterProperties::shards)
			.description("Shards the upstream names map to (closewatch.cluster.shards); summed over the "
					+ "replicas, the shards owned should not stay below it")
			.register(registry);
		Timer renewals = Timer.builder("closewatch.cluster.lease.renewal")
			.description("Successful lease rounds: heartbeat, members, offers and claim")
			.register(registry);
		JdbcTemplate publishing = new JdbcTemplate(jdbcTemplate.getDataSource());
		publishing.setQueryTimeout((int) Math.max(1, properties.publishInterval().toSeconds()));
		StatePublisher publisher = new StatePublisher(coordinator, () -> upstreams, new UpstreamStateTable(publishing),
				jsonMapper);
		return new ClusterMembership(coordinator, sources, changes, clusterScheduler(), clock, properties, renewals,
				publisher);
	}

	// three threads of the cluster's own, not a bean (the application's TaskScheduler
	// stays unambiguous): a round and a publication may each wait for a database
	// connection as long as the pool lets them, and must hold up neither fencing nor the
	// shared scheduler, whose one thread runs every upstream's reconnect timers.
	// ClusterMembership shuts it down.
	private static ThreadPoolTaskScheduler clusterScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(3);
		scheduler.setThreadNamePrefix("closewatch-cluster-");
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.initialize();
		return scheduler;
	}

	static String memberId(ClusterProperties properties) {
		if (StringUtils.hasText(properties.memberId())) {
			return properties.memberId().trim();
		}
		String hostname = System.getenv("HOSTNAME");
		if (StringUtils.hasText(hostname)) {
			return hostname;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(
					"closewatch.cluster.member-id is not set and the host name is unknown: set it", ex);
		}
	}

}

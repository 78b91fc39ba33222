package dev.closewatch.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.closewatch.testserver.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leases on a real PostgreSQL: members split the shards without overlap, a joining
 * member takes only its share, a silent member's shards move only once its leases have
 * expired by the database's clock, and a member cut off from the database stops its
 * connections before that.
 */
class ShardCoordinatorTests {

	private static final Shards SHARDS = new Shards(256);

	private static final Duration TTL = Duration.ofSeconds(2);

	private static final Duration RENEW = Duration.ofMillis(500);

	private final AtomicLong nanos = new AtomicLong();

	private CuttableDataSource dataSource;

	private Leases leases;

	@BeforeEach
	void migrate() {
		this.dataSource = new CuttableDataSource(EmbeddedPostgresServer.newDatabase("cluster").dataSource());
		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration/postgresql").load().migrate();
		this.leases = new Leases(new JdbcTemplate(this.dataSource));
	}

	@Test
	void splitsEveryShardBetweenTwoMembersWithNoOverlap() {
		Member a = member("a");
		Member b = member("b");

		a.coordinator.renew();
		b.coordinator.renew();
		assertThat(b.coordinator.owned().isEmpty()).as("b takes nothing a holds").isTrue();
		a.coordinator.renew();
		b.coordinator.renew();
		assertThat(b.coordinator.owned().cardinality()).as("b took what a offered").isPositive();
		assertThat(a.coordinator.owned().cardinality()).as("a closes only at its next round").isEqualTo(256);
		a.coordinator.renew();

		BitSet both = a.coordinator.owned();
		assertThat(both.intersects(b.coordinator.owned())).isFalse();
		both.or(b.coordinator.owned());
		assertThat(both.cardinality()).isEqualTo(256);
		assertThat(this.leases.owners()).hasSize(256);
		assertThat(a.coordinator.owned().cardinality()).isBetween(100, 156);
	}

	@Test
	void membersStartedTogetherClaimOnlyTheirOwnShareAfterTheJoinDelay() {
		Member a = member("a", HandoverCheck.IMMEDIATE, RENEW);
		Member b = member("b", HandoverCheck.IMMEDIATE, RENEW);

		round(a, b);
		assertThat(a.coordinator.owned().isEmpty()).as("a claims nothing while it settles").isTrue();
		assertThat(this.leases.liveMembers()).containsExactly("a", "b");
		this.nanos.addAndGet(RENEW.toNanos());
		round(a, b);

		assertThat(a.coordinator.owned().cardinality()).as("a never took b's share").isBetween(100, 156);
		assertThat(a.coordinator.owned().cardinality() + b.coordinator.owned().cardinality()).isEqualTo(256);
		assertNoOverlap(a, b);
		assertThat(a.published).hasSize(1);
	}

	@Test
	void handsAJoiningMemberItsShareMakeBeforeBreak() {
		Member a = member("a");
		Member b = member("b");
		converge(a, b);
		BitSet aBefore = a.coordinator.owned();

		Member c = member("c");
		c.coordinator.renew();
		assertThat(c.coordinator.owned().isEmpty()).as("c takes nothing still leased to a or b").isTrue();
		round(a, b);
		assertThat(a.coordinator.owned()).as("a keeps what it offers c").isEqualTo(aBefore);
		c.coordinator.renew();
		BitSet cTook = c.coordinator.owned();
		assertThat(cTook.intersects(aBefore)).as("c opens before a closes").isTrue();
		assertThat(a.coordinator.owned()).isEqualTo(aBefore);
		round(a, b);

		BitSet aAfter = a.coordinator.owned();
		BitSet gained = (BitSet) aAfter.clone();
		gained.andNot(aBefore);
		assertThat(gained.isEmpty()).as("a gains nothing when c joins").isTrue();
		assertThat(c.coordinator.owned().cardinality()).isBetween(256 / 3 - 30, 256 / 3 + 30);
		assertNoOverlap(a, b, c);
	}

	@Test
	void takesOverASilentMembersShardsOnlyAfterItsLeasesExpireByTheDatabasesClock() {
		Member a = member("a");
		Member b = member("b");
		converge(a, b);
		BitSet aShards = a.coordinator.owned();

		// a falls silent (a crash): its leases run on for TTL by PostgreSQL's now()
		b.coordinator.renew();
		assertThat(b.coordinator.owned().intersects(aShards)).isFalse();
		assertThat(this.leases.claim("b", aShards, TTL).isEmpty()).as("a running lease is never taken").isTrue();

		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			b.coordinator.renew();
			assertThat(b.coordinator.owned().cardinality()).isEqualTo(256);
		});
		assertThat(b.coordinator.members()).containsExactly("b");
	}

	@Test
	void stopsTheConnectionsOfAMemberCutOffFromTheDatabaseBeforeItsLeasesExpire() {
		Member a = member("a");
		Member b = member("b");
		converge(a, b);
		int held = a.coordinator.owned().cardinality();
		assertThat(held).isPositive();

		this.dataSource.cut.set(true);
		this.nanos.addAndGet(RENEW.toNanos());
		assertThat(a.coordinator.renew()).isFalse();
		assertThat(a.coordinator.owned().cardinality()).as("still within its leases").isEqualTo(held);
		// valid until the last good round's start + TTL - 2 x RENEW
		this.nanos.addAndGet(TTL.minus(RENEW.multipliedBy(3)).toNanos() - 1);
		assertThat(a.coordinator.fenceIfExpired()).isFalse();
		this.nanos.addAndGet(1);

		assertThat(a.coordinator.fenceIfExpired()).isTrue();
		assertThat(a.coordinator.owned().isEmpty()).isTrue();
		assertThat(a.published.get(a.published.size() - 1).isEmpty()).isTrue();
		this.dataSource.cut.set(false);
		assertThat(this.leases.heldBy("a")).as("fenced while its leases still ran in the database").hasSize(held);
	}

	@Test
	void leavingHandsEveryShardOverAtTheOthersNextRound() {
		Member a = member("a");
		Member b = member("b");
		converge(a, b);

		int aHeld = a.coordinator.owned().cardinality();
		a.coordinator.leave();
		b.coordinator.renew();

		assertThat(a.coordinator.owned().cardinality()).as("its connections are the shutdown's to close")
			.isEqualTo(aHeld);
		assertThat(b.coordinator.owned().cardinality()).isEqualTo(256);
		assertThat(this.leases.liveMembers()).containsExactly("b");
	}

	@Test
	void aLeavingMemberKeepsWatchingEachShardUntilItsTakerHasOpenedIt() {
		AtomicBoolean opened = new AtomicBoolean();
		Member a = member("a", (successors) -> {
			BitSet done = new BitSet();
			if (opened.get()) {
				successors.keySet().forEach(done::set);
			}
			return done;
		});
		Member b = member("b");
		opened.set(true);
		converge(a, b);
		BitSet aShards = a.coordinator.owned();
		assertThat(a.coordinator.watched()).isEqualTo(aShards);
		opened.set(false);

		a.coordinator.startLeaving();
		a.coordinator.renew();
		assertThat(this.leases.liveMembers()).as("a no longer counts as live").containsExactly("b");
		assertThat(a.coordinator.owned()).as("a renews what it offers until b takes it").isEqualTo(aShards);
		b.coordinator.renew();
		assertThat(b.coordinator.owned().cardinality()).isEqualTo(256);
		a.coordinator.renew();

		assertThat(a.coordinator.owned().isEmpty()).as("a holds no lease").isTrue();
		assertThat(a.coordinator.watched()).as("but connects until b has opened").isEqualTo(aShards);
		assertThat(a.coordinator.handedOver()).isFalse();
		opened.set(true);
		a.coordinator.renew();
		assertThat(a.coordinator.watched().isEmpty()).isTrue();
		assertThat(a.coordinator.handedOver()).isTrue();
		assertThat(a.published.get(a.published.size() - 1).isEmpty()).isTrue();
	}

	@Test
	void aHandoverThatIsNeverConfirmedEndsAfterALeaseTtl() {
		Member a = member("a", (successors) -> new BitSet());
		Member b = member("b");
		converge(a, b);
		assertThat(a.coordinator.watched().cardinality()).as("b has opened nothing a handed it").isEqualTo(256);
		this.nanos.addAndGet(TTL.toNanos() + 1);
		a.coordinator.renew();
		assertThat(a.coordinator.watched()).isEqualTo(a.coordinator.owned());

		a.coordinator.startLeaving();
		a.coordinator.renew();
		b.coordinator.renew();
		a.coordinator.renew();
		assertThat(a.coordinator.watched().isEmpty()).isFalse();
		this.nanos.addAndGet(TTL.toNanos() + 1);
		a.coordinator.renew();

		assertThat(a.coordinator.watched().isEmpty()).isTrue();
		assertThat(a.coordinator.handedOver()).isTrue();
	}

	@Test
	void aLastMemberLeavingHasNobodyToHandOverTo() {
		Member a = member("a");
		a.coordinator.renew();

		a.coordinator.startLeaving();
		a.coordinator.renew();

		assertThat(a.coordinator.owned().cardinality()).as("kept until it ends its leases").isEqualTo(256);
		assertThat(a.coordinator.handedOver()).isTrue();
	}

	// rounds until every shard has settled: an offered shard needs its taker's round and
	// then its giver's
	private void converge(Member... members) {
		for (int i = 0; i < 3; i++) {
			round(members);
		}
	}

	private void round(Member... members) {
		for (Member member : members) {
			member.coordinator.renew();
		}
	}

	private static void assertNoOverlap(Member... members) {
		BitSet seen = new BitSet();
		for (Member member : members) {
			BitSet owned = member.coordinator.owned();
			assertThat(seen.intersects(owned)).as(member.name + " overlaps").isFalse();
			seen.or(owned);
		}
	}

	private Member member(String name) {
		return member(name, HandoverCheck.IMMEDIATE);
	}

	private Member member(String name, HandoverCheck handovers) {
		return member(name, handovers, Duration.ZERO);
	}

	private Member member(String name, HandoverCheck handovers, Duration joinDelay) {
		List<BitSet> published = new ArrayList<>();
		ShardCoordinator coordinator = new ShardCoordinator(name, this.leases, SHARDS, TTL, RENEW, this.nanos::get,
				published::add, handovers, joinDelay);
		return new Member(name, coordinator, published);
	}

	private record Member(String name, ShardCoordinator coordinator, List<BitSet> published) {

	}

	/**
	 * A data source whose connections can be refused, as when the network to PostgreSQL
	 * is cut.
	 */
	static final class CuttableDataSource extends DelegatingDataSource {

		final AtomicBoolean cut = new AtomicBoolean();

		CuttableDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (this.cut.get()) {
				throw new SQLException("connection refused (cut by the test)", "08001");
			}
			return super.getConnection();
		}

	}

}

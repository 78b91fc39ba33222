package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QueueFileRecoveryTests {

	private static final String SETTING = HistoryStoreEnvironment.SQLITE_QUEUE_FILE;

	@TempDir
	Path directory;

	@Test
	void storesWhatTheLastRunLeftOnceAndEmptiesTheFile() throws IOException, SQLException {
		DataSource dataSource = StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db"));
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);
		CloseEvent committed = closeEvent(1).build();
		CloseEvent queued = closeEvent(2).reason("queued").build();
		// the last run committed event 1 but crashed before freeing its slot
		store.insert(List.of(committed));
		try (QueueFile lastRun = QueueFile.open(queueFile())) {
			lastRun.add(committed);
			lastRun.add(queued);
		}

		try (QueueFile file = QueueFileRecovery.open(queueFile(), SETTING, store)) {
			assertThat(new JdbcTemplate(dataSource).queryForList("SELECT reason FROM close_event ORDER BY id",
					String.class))
				.containsExactly("", "queued");
			assertThat(file.size()).isZero();
		}
		try (QueueFile next = QueueFile.open(queueFile())) {
			assertThat(next.events()).isEmpty();
		}
	}

	@Test
	void failsNamingTheFileAndTheSettingWhenTheFileCannotBeOpened() {
		DataSource dataSource = StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db"));
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);
		Path nowhere = this.directory.resolve("missing").resolve("closewatch.db-queue");

		assertThatExceptionOfType(HistoryStoreException.class)
			.isThrownBy(() -> QueueFileRecovery.open(nowhere, SETTING, store))
			.withMessageContaining(nowhere.toString())
			.satisfies((ex) -> assertThat(ex.action()).contains(SETTING + "=false"));
	}

	@Test
	void failsNamingTheFileWhenAnotherProcessHoldsIt() throws IOException {
		DataSource dataSource = StoreFixtures.sqliteDataSource(this.directory.resolve("closewatch.db"));
		JdbcCloseEventStore store = StoreFixtures.migrated(dataSource, HistoryStore.SQLITE);

		try (QueueFile held = QueueFile.open(queueFile())) {
			assertThatExceptionOfType(HistoryStoreException.class)
				.isThrownBy(() -> QueueFileRecovery.open(queueFile(), SETTING, store))
				.withMessageContaining(queueFile().toString())
				.satisfies((ex) -> assertThat(ex.action()).contains("closewatch.cluster.enabled=true"));
		}
	}

	private Path queueFile() {
		return this.directory.resolve("closewatch.db-queue");
	}

}

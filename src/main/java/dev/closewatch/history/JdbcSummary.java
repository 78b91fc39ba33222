package dev.closewatch.history;

import java.util.List;

import dev.closewatch.history.CloseEventSummary.Group;
import dev.closewatch.history.SummaryQuery.Grouping;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The close event summary as one {@code GROUP BY} on the {@code close_event} table (index
 * {@code (closed_at)}), the totals over every group taken by a window function before the
 * limit applies.
 */
class JdbcSummary {

	private final JdbcTemplate jdbc;

	private final HistoryStore store;

	JdbcSummary(JdbcTemplate jdbc, HistoryStore store) {
		this.jdbc = jdbc;
		this.store = store;
	}

	CloseEventSummary summary(SummaryQuery query) {
		long[] totals = new long[2];
		List<Group> groups = this.jdbc.query(sql(query.by()), (row, number) -> {
			totals[0] = row.getLong(4);
			totals[1] = row.getLong(5);
			return new Group(row.getString(1), row.getLong(2), row.getLong(3));
		}, CloseEventRows.nanos(query.since()), CloseEventRows.nanos(query.until()), query.limit());
		return new CloseEventSummary(totals[0], totals[1], groups);
	}

	private String sql(Grouping by) {
		String key = switch (by) {
			case UPSTREAM -> "upstream";
			case CODE -> "code";
			case ERROR -> "COALESCE(error, '" + CloseEventSummary.NO_ERROR + "')";
		};
		return """
				SELECT group_key, closes, unclean, SUM(closes) OVER (), SUM(unclean) OVER () FROM (
				  SELECT %s AS group_key, COUNT(*) AS closes, SUM(CASE WHEN was_clean THEN 0 ELSE 1 END) AS unclean
				  FROM close_event WHERE closed_at >= ? AND closed_at < ?
				  GROUP BY %s) AS grouped
				ORDER BY closes DESC, group_key%s
				LIMIT ?""".formatted(key, key, (by != Grouping.CODE) ? textOrder() : "");
	}

	// ties in code point order, as on SQLite (BINARY), whatever the database's collation
	private String textOrder() {
		return (this.store == HistoryStore.POSTGRESQL) ? " COLLATE \"C\"" : "";
	}

}

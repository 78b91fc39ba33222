package dev.closewatch.history;

import java.time.Instant;

/**
 * This closewatch process, as recorded in the {@code monitor_run} table.
 *
 * @param id unique id of the run
 * @param member the host (or cluster member) it runs on
 * @param startedAt when it started
 */
record MonitorRun(String id, String member, Instant startedAt) {

}

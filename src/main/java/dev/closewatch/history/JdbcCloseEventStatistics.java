package dev.closewatch.history;

/**
 * {@link CloseEventStatistics} of the durable stores, computed in SQL.
 */
class JdbcCloseEventStatistics implements CloseEventStatistics {

	private final JdbcAvailability availability;

	private final JdbcSummary summary;

	JdbcCloseEventStatistics(JdbcAvailability availability, JdbcSummary summary) {
		this.availability = availability;
		this.summary = summary;
	}

	@Override
	public Availability availability(AvailabilityQuery query) {
		return this.availability.availability(query);
	}

	@Override
	public CloseEventSummary summary(SummaryQuery query) {
		return this.summary.summary(query);
	}

}

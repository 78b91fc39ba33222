package dev.closewatch.history;

/**
 * The {@code memory} store against the shared contract.
 */
class MemoryStoreContractTests extends CloseEventHistoryContract {

	@Override
	HistoryFixture newFixture() {
		InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(100);
		return new HistoryFixture() {

			@Override
			public CloseEventHistory history() {
				return history;
			}

			@Override
			public void awaitStored() {
			}

			@Override
			public void close() {
			}

		};
	}

}

package dev.closewatch.api;

import java.time.Instant;
import java.util.function.Supplier;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Any value of any query parameter of the history API is parsed or rejected with a 400
 * naming the parameter, never anything else, and a cursor the API wrote always reads
 * back.
 */
class QueryParametersFuzzTests {

	@FuzzTest(maxDuration = "60s")
	void parsesOrRejectsEveryValueNamingTheParameter(FuzzedDataProvider data) {
		String value = data.consumeRemainingAsString();

		Integer limit = parsedOrRejected("limit", () -> QueryParameters.integer("limit", value, 1, 1000));
		if (limit != null) {
			assertThat(value).matches("-?[0-9]+");
			assertThat(limit).isBetween(1, 1000).isEqualTo(Integer.parseInt(value));
		}
		Boolean wasClean = parsedOrRejected("wasClean", () -> QueryParameters.bool("wasClean", value));
		if (wasClean != null) {
			assertThat(value).isIn("true", "false");
		}
		Instant since = parsedOrRejected("since", () -> QueryParameters.instant("since", value));
		if (since != null) {
			assertThat(Instant.parse(value)).isEqualTo(since);
		}
		String upstream = parsedOrRejected("upstream", () -> QueryParameters.text("upstream", value));
		if (upstream != null) {
			assertThat(upstream).isNotEmpty();
		}
		Long beforeId = parsedOrRejected(CloseEventCursor.PARAMETER, () -> CloseEventCursor.decode(value));
		if (beforeId != null) {
			assertThat(beforeId).isNotNegative();
		}
		String decoded = PercentDecoding.decode(value);
		QueryParameters.Raw undecodable = QueryParameters.firstUndecodable(value);
		if (decoded != null && value.indexOf('&') < 0 && value.indexOf('=') < 0) {
			assertThat(undecodable).isNull();
		}
	}

	@FuzzTest(maxDuration = "30s")
	void readsBackEveryCursorItWrote(long id) {
		long positive = id & Long.MAX_VALUE;

		String cursor = CloseEventCursor.after(positive);

		assertThat(CloseEventCursor.decode(cursor)).isEqualTo(positive);
	}

	private static <T> T parsedOrRejected(String parameter, Supplier<T> parse) {
		Throwable failure = catchThrowable(parse::get);
		if (failure == null) {
			return parse.get();
		}
		assertThat(failure).isInstanceOf(InvalidParameterException.class);
		assertThat(((InvalidParameterException) failure).getBody().getProperties()).containsEntry("parameter",
				parameter);
		return null;
	}

}

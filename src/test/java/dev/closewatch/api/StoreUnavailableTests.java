package dev.closewatch.api;

import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.CloseEventHistory;
import dev.closewatch.history.CloseEventQuery;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A history store that cannot be read, as while PostgreSQL restarts: a 503 problem that
 * says to retry, without the database's own message.
 */
@WebMvcTest(CloseEventsController.class)
@Import(StoreUnavailableTests.UnreadableStore.class)
class StoreUnavailableTests {

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private Upstreams upstreams;

	@Test
	void answersServiceUnavailableWithRetryAfterAndNoDatabaseDetail() throws Exception {
		MvcTestResult result = this.mvc.get().uri("/api/v1/close-events").exchange();

		assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("Retry-After", "5");
		assertThat(result).bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://closewatch.dev/problems/store-unavailable");
		assertThat(result.getResponse().getContentAsString()).doesNotContain("db.internal", "closewatch_app");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class UnreadableStore {

		@Bean
		CloseEventHistory closeEventHistory() {
			return new CloseEventHistory() {

				@Override
				public void record(CloseEvent event) {
				}

				@Override
				public List<CloseEvent> find(CloseEventQuery query) {
					throw new DataAccessResourceFailureException(
							"Connection to db.internal:5432 refused for user closewatch_app");
				}

			};
		}

	}

}

package dev.closewatch;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code logging.structured.format.console=ecs} every log line is one ECS JSON
 * document, each close is one INFO line, and credentials stay out of all of them.
 */
@TestPropertySource(properties = "logging.structured.format.console=ecs")
class StructuredLoggingTests extends SecretsStayHiddenTests {

	@Test
	void logsEachCloseAsOneEcsJsonLine(CapturedOutput output) {
		await().untilAsserted(() -> assertThat(closeLines(output)).hasSize(1));

		JsonNode line = JsonMapper.shared().readTree(closeLines(output).get(0));
		assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
		assertThat(line.at("/log/logger").asString()).isEqualTo("dev.closewatch.upstream.UpstreamConnection");
		assertThat(line.at("/service/name").asString()).isEqualTo("closewatch");
		assertThat(line.get("message").asString())
			.startsWith("Upstream 'secured' closed: code=1011 reason='overloaded' wasClean=true initiator=SERVER");
		assertThat(output.getOut().lines().filter((text) -> !text.isBlank()))
			.allSatisfy((text) -> assertThat(text).startsWith("{").endsWith("}"));
	}

	private static List<String> closeLines(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("Upstream 'secured' closed")).toList();
	}

}

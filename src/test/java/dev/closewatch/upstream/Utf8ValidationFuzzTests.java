package dev.closewatch.upstream;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incremental UTF-8 validator of text messages agrees with the JDK's strict decoder
 * on every byte sequence, however the message is split into frames.
 */
class Utf8ValidationFuzzTests {

	@FuzzTest(maxDuration = "60s")
	void agreesWithTheJdkDecoderHoweverTheMessageIsSplit(FuzzedDataProvider data) {
		int[] cuts = new int[data.consumeInt(0, 4)];
		for (int i = 0; i < cuts.length; i++) {
			cuts[i] = data.consumeInt(0, 64);
		}
		byte[] message = data.consumeRemainingAsBytes();

		Utf8Validation validation = new Utf8Validation();
		boolean valid = true;
		int from = 0;
		for (int cut : cuts) {
			int to = Math.min(message.length, from + cut);
			valid &= validation.accept(ByteBuffer.wrap(message, from, to - from));
			from = to;
		}
		valid &= validation.accept(ByteBuffer.wrap(message, from, message.length - from));
		valid &= validation.end();

		assertThat(valid).isEqualTo(isUtf8(message));
	}

	private static boolean isUtf8(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}

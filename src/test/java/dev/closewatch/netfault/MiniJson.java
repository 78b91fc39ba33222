package dev.closewatch.netfault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the network fault driver, which runs on the JDK alone: objects
 * become maps, arrays lists, numbers doubles.
 */
final class MiniJson {

	private final String text;

	private int at;

	private MiniJson(String text) {
		this.text = text;
	}

	static Object parse(String text) {
		MiniJson json = new MiniJson(text);
		Object value = json.value();
		json.space();
		if (json.at != text.length()) {
			throw new IllegalArgumentException("Trailing text at " + json.at);
		}
		return value;
	}

	private Object value() {
		space();
		char c = this.text.charAt(this.at);
		switch (c) {
			case '{' -> {
				return object();
			}
			case '[' -> {
				return array();
			}
			case '"' -> {
				return string();
			}
			default -> {
				return literal();
			}
		}
	}

	private Map<String, Object> object() {
		Map<String, Object> object = new LinkedHashMap<>();
		this.at++;
		space();
		if (this.text.charAt(this.at) == '}') {
			this.at++;
			return object;
		}
		while (true) {
			space();
			String key = string();
			space();
			expect(':');
			object.put(key, value());
			space();
			if (this.text.charAt(this.at++) == '}') {
				return object;
			}
		}
	}

	private List<Object> array() {
		List<Object> array = new ArrayList<>();
		this.at++;
		space();
		if (this.text.charAt(this.at) == ']') {
			this.at++;
			return array;
		}
		while (true) {
			array.add(value());
			space();
			if (this.text.charAt(this.at++) == ']') {
				return array;
			}
		}
	}

	private String string() {
		expect('"');
		StringBuilder string = new StringBuilder();
		while (true) {
			char c = this.text.charAt(this.at++);
			if (c == '"') {
				return string.toString();
			}
			if (c == '\\') {
				char escaped = this.text.charAt(this.at++);
				switch (escaped) {
					case 'n' -> string.append('\n');
					case 't' -> string.append('\t');
					case 'r' -> string.append('\r');
					case 'b' -> string.append('\b');
					case 'f' -> string.append('\f');
					case 'u' -> {
						string.append((char) Integer.parseInt(this.text.substring(this.at, this.at + 4), 16));
						this.at += 4;
					}
					default -> string.append(escaped);
				}
			}
			else {
				string.append(c);
			}
		}
	}

	private Object literal() {
		int start = this.at;
		while (this.at < this.text.length() && ",}] \n\r\t".indexOf(this.text.charAt(this.at)) < 0) {
			this.at++;
		}
		String literal = this.text.substring(start, this.at);
		return switch (literal) {
			case "null" -> null;
			case "true" -> true;
			case "false" -> false;
			default -> Double.parseDouble(literal);
		};
	}

	private void expect(char c) {
		if (this.text.charAt(this.at++) != c) {
			throw new IllegalArgumentException("Expected '" + c + "' at " + (this.at - 1));
		}
	}

	private void space() {
		while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
			this.at++;
		}
	}

}

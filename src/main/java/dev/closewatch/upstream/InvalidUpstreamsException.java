package dev.closewatch.upstream;

/**
 * A source's upstreams cannot be applied: nothing of that source changed, and the
 * upstreams it defined before keep running.
 */
public class InvalidUpstreamsException extends RuntimeException {

	private final String source;

	/**
	 * Create an exception.
	 * @param source the source whose upstreams were refused, such as
	 * {@code file:/etc/x.yaml}
	 * @param message what is wrong, naming the property (and, for a file, the line)
	 */
	public InvalidUpstreamsException(String source, String message) {
		super(message);
		this.source = source;
	}

	/**
	 * Create an exception.
	 * @param source the source whose upstreams were refused
	 * @param message what is wrong
	 * @param cause the underlying failure
	 */
	public InvalidUpstreamsException(String source, String message, Throwable cause) {
		super(message, cause);
		this.source = source;
	}

	/**
	 * Return the source whose upstreams were refused.
	 * @return the source
	 */
	public String source() {
		return this.source;
	}

}

package dev.closewatch.config;

/**
 * A request of the REST API to change an upstream that another source (the application's
 * configuration or a file) defines: that source owns the name, and the upstream is
 * changed there.
 */
public class UpstreamOwnedElsewhereException extends RuntimeException {

	private final String owner;

	UpstreamOwnedElsewhereException(String name, String owner) {
		super("Upstream '" + name + "' is defined by " + owner + ", not through the API; change it there");
		this.owner = owner;
	}

	/**
	 * Return the source that defines the upstream.
	 * @return the source, such as {@code application} or {@code file:/etc/u.yaml}
	 */
	public String owner() {
		return this.owner;
	}

}

package dev.closewatch.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.closewatch.upstream.InvalidUpstreamsException;
import dev.closewatch.upstream.UpstreamDefinitions;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.UpstreamsDiff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The upstreams of {@code closewatch.upstream-files}: each file is a source of its own,
 * read at startup (a bad file fails startup) and again whenever its directory changes,
 * once it has been quiet for the quiet period, and every refresh period whatever the
 * events. A file whose content did not change (SHA-256) is not applied again. A file that
 * does not parse or fails validation, or that has gone, leaves its last good set running,
 * is logged with the file, line and property, and shows in
 * {@code closewatch_config_last_reload_successful{source}}.
 * <p>
 * The directory is watched rather than the files, and files are read through symlinks, so
 * that a Kubernetes ConfigMap mounted as a directory, whose {@code ..data} symlink is
 * swapped on update, is picked up. (A ConfigMap mounted with {@code subPath} never
 * updates.)
 */
public class UpstreamFiles implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamFiles.class);

	private final List<UpstreamFilePattern> patterns;

	private final UpstreamFileProperties properties;

	private final UpstreamDefinitions definitions;

	private final UpstreamSources sources;

	// source -> SHA-256 of the content last read from it
	private final Map<String, String> digests = new LinkedHashMap<>();

	// every file seen since start, so that one that goes is an error, not a removal
	private final Set<Path> known = new LinkedHashSet<>();

	private final Object reloadMonitor = new Object();

	private volatile boolean running;

	private @Nullable Thread thread;

	private @Nullable WatchService watcher;

	UpstreamFiles(UpstreamFileProperties properties, UpstreamDefinitions definitions, UpstreamSources sources) {
		this.properties = properties;
		this.definitions = definitions;
		this.sources = sources;
		this.patterns = properties.upstreamFiles().stream().map(UpstreamFilePattern::of).toList();
		List<SourceResult> results = reload(false);
		List<String> errors = results.stream()
			.filter((result) -> result.error() != null)
			.map(SourceResult::error)
			.toList();
		if (!errors.isEmpty()) {
			throw new IllegalStateException("closewatch.upstream-files: " + String.join("; ", errors));
		}
	}

	/**
	 * Read every file now and apply those that changed.
	 * @param force whether to apply a file whose content did not change too
	 * @return what happened to each file, in name order
	 */
	public List<SourceResult> reload(boolean force) {
		synchronized (this.reloadMonitor) {
			List<SourceResult> results = new ArrayList<>();
			Set<Path> present = new LinkedHashSet<>();
			for (UpstreamFilePattern pattern : this.patterns) {
				List<Path> files;
				try {
					files = pattern.files();
				}
				catch (IOException ex) {
					logger.warn("Cannot list {} for closewatch.upstream-files: {}", pattern.directory(), ex.toString());
					continue;
				}
				for (Path file : files) {
					present.add(file);
					SourceResult result = reload(file, force);
					if (result != null) {
						results.add(result);
					}
				}
			}
			for (Path gone : this.known) {
				if (!present.contains(gone)) {
					results.add(gone(gone));
				}
			}
			this.known.addAll(present);
			return results;
		}
	}

	// null when nothing changed
	private @Nullable SourceResult reload(Path file, boolean force) {
		String source = source(file);
		byte[] content;
		try {
			content = Files.readAllBytes(file);
		}
		catch (NoSuchFileException ex) {
			return gone(file);
		}
		catch (IOException ex) {
			return failed(source, source + " cannot be read: " + ex);
		}
		String digest = sha256(content);
		if (!force && digest.equals(this.digests.get(source))) {
			return null;
		}
		this.digests.put(source, digest);
		long started = System.nanoTime();
		Map<String, Upstream> upstreams;
		try {
			upstreams = this.definitions.read(source, UpstreamDefinitions.document(file.toString(), content));
		}
		catch (InvalidUpstreamsException ex) {
			return failed(source, ex.getMessage());
		}
		long read = System.nanoTime();
		try {
			UpstreamsDiff diff = this.sources.replace(source, upstreams);
			if (!diff.isEmpty()) {
				logger.info(
						"Applied {}: {} added, {} removed, {} changed, {} relabelled, {} unchanged ({} ms to read, "
								+ "{} ms to apply)",
						source, diff.added().size(), diff.removed().size(), diff.changed().size(),
						diff.relabelled().size(), diff.unchanged(), (read - started) / 1_000_000,
						(System.nanoTime() - read) / 1_000_000);
			}
			return new SourceResult(source, diff, null);
		}
		catch (InvalidUpstreamsException ex) {
			// replace() has recorded the failure
			logger.error("Not applied, the upstreams of {} before it keep running: {}", source, ex.getMessage());
			return new SourceResult(source, null, ex.getMessage());
		}
	}

	private SourceResult gone(Path file) {
		String source = source(file);
		this.digests.remove(source);
		return failed(source, source + " has gone; its upstreams keep running until it is back or closewatch "
				+ "restarts (to remove them, empty the file)");
	}

	private SourceResult failed(String source, String error) {
		this.sources.failed(source, error);
		logger.error("Not applied, the upstreams of {} before it keep running: {}", source, error);
		return new SourceResult(source, null, error);
	}

	@Override
	public void start() {
		if (this.patterns.isEmpty()) {
			return;
		}
		try {
			WatchService watcher = FileSystems.getDefault().newWatchService();
			for (Path directory : this.patterns.stream().map(UpstreamFilePattern::directory).distinct().toList()) {
				if (Files.isDirectory(directory)) {
					directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
				}
				else {
					logger.warn("closewatch.upstream-files: directory {} does not exist; it is read every {} only",
							directory, this.properties.upstreamFilesRefresh());
				}
			}
			this.watcher = watcher;
		}
		catch (IOException ex) {
			logger.warn("Cannot watch closewatch.upstream-files ({}); they are read every {} only", ex.toString(),
					this.properties.upstreamFilesRefresh());
		}
		this.running = true;
		Thread thread = new Thread(this::watch, "closewatch-upstream-files");
		thread.setDaemon(true);
		this.thread = thread;
		thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		WatchService watcher = this.watcher;
		if (watcher != null) {
			try {
				watcher.close();
			}
			catch (IOException ex) {
				// closing
			}
		}
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void watch() {
		long quiet = this.properties.upstreamFilesQuietPeriod().toNanos();
		long refresh = this.properties.upstreamFilesRefresh().toNanos();
		long nextRefresh = System.nanoTime() + refresh;
		long dueAt = 0;
		while (this.running) {
			try {
				long now = System.nanoTime();
				long wait = Math.min(nextRefresh - now, (dueAt != 0) ? dueAt - now : Long.MAX_VALUE);
				WatchKey key = poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
				if (key != null) {
					key.pollEvents();
					key.reset();
					// every event starts the quiet period over
					dueAt = System.nanoTime() + quiet;
				}
				now = System.nanoTime();
				if ((dueAt != 0 && now - dueAt >= 0) || now - nextRefresh >= 0) {
					dueAt = 0;
					nextRefresh = now + refresh;
					reload(false);
				}
			}
			catch (InterruptedException | ClosedWatchServiceException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.error("Reading closewatch.upstream-files failed; trying again on the next change", ex);
			}
		}
	}

	private @Nullable WatchKey poll(long millis) throws InterruptedException {
		WatchService watcher = this.watcher;
		if (watcher == null) {
			Thread.sleep(millis);
			return null;
		}
		return watcher.poll(millis, TimeUnit.MILLISECONDS);
	}

	static String source(Path file) {
		return "file:" + file;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What reading one file did.
	 *
	 * @param source the file, as {@code file:<path>}
	 * @param diff what applying it changed, {@code null} if it was not applied
	 * @param error why it was not applied, {@code null} if it was
	 */
	public record SourceResult(String source, @Nullable UpstreamsDiff diff, @Nullable String error) {

	}

}

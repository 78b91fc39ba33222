package dev.closewatch.history;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.closewatch.CloseWatchApplication;

import static org.awaitility.Awaitility.await;

/**
 * closewatch as a child JVM of the test, on a free port of 127.0.0.1, so that a test can
 * end it as an OOM killer or {@code kill -9} would. It runs from the test's class path
 * without the test classes, so it reads the application's own configuration and only the
 * arguments it is given; its output goes to a file.
 */
final class CloseWatchProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private final ServiceClient client;

	private CloseWatchProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.client = new ServiceClient("http://127.0.0.1:" + port);
	}

	/**
	 * Start closewatch and wait until it answers its health endpoint.
	 * @param log where its output goes (appended); its directory is the process's
	 * {@code java.io.tmpdir}
	 * @param arguments its command-line arguments, such as {@code --key=value}
	 * @return the running process
	 * @throws IOException if it cannot be started
	 */
	static CloseWatchProcess start(Path log, List<String> arguments) throws IOException {
		CloseWatchProcess started = launch(log, arguments);
		try {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
				if (!started.process.isAlive()) {
					throw new IllegalStateException(
							"closewatch exited with " + started.process.exitValue() + ":\n" + started.logTail());
				}
				return started.client.answers();
			});
		}
		catch (RuntimeException ex) {
			started.close();
			throw ex;
		}
		return started;
	}

	/**
	 * Start closewatch without waiting for it.
	 * @param log where its output goes (appended); its directory is the process's
	 * {@code java.io.tmpdir}
	 * @param arguments its command-line arguments, such as {@code --key=value}
	 * @return the process
	 * @throws IOException if it cannot be started
	 */
	static CloseWatchProcess launch(Path log, List<String> arguments) throws IOException {
		int port = freePort();
		// java.io.tmpdir beside the log (a test's temporary directory): the PostgreSQL
		// store's queue file goes there, so a restart finds it and the test's cleanup
		// removes it
		String tmpdir = log.toAbsolutePath().getParent().toString();
		List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx384m", "-XX:+UseSerialGC",
				"-Djava.io.tmpdir=" + tmpdir, "-cp", applicationClassPath(), CloseWatchApplication.class.getName(),
				"--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		return new CloseWatchProcess(process, port, log);
	}

	/**
	 * Wait for the process to end by itself, as when its startup fails.
	 * @param timeout how long to wait
	 * @return its exit status
	 * @throws InterruptedException if interrupted while waiting
	 */
	int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("closewatch still runs after " + timeout + ":\n" + logTail());
		}
		return this.process.exitValue();
	}

	/**
	 * Return everything the process wrote.
	 */
	String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	ServiceClient client() {
		return this.client;
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * End the process with SIGKILL, as {@code kill -9} does: no shutdown hook, no
	 * graceful stop, nothing flushed.
	 * @return its exit status, 137 (128 + 9) on Linux
	 * @throws InterruptedException if interrupted while waiting for it to end
	 */
	int kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("closewatch (pid " + pid() + ") still runs after SIGKILL");
		}
		return this.process.exitValue();
	}

	/**
	 * Return the last lines the process wrote.
	 */
	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	/**
	 * Stop the process as an orchestrator would (SIGTERM), and with SIGKILL if it has not
	 * ended within 30 s.
	 */
	@Override
	public void close() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static String javaCommand() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	// the test class path without the test classes (and their application.yaml)
	private static String applicationClassPath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !Path.of(entry).endsWith(Path.of("target", "test-classes")))
			.collect(Collectors.joining(File.pathSeparator));
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

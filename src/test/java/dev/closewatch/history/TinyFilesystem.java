package dev.closewatch.history;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a directory of the test's, so that a test can fill a disk for
 * real. Mounting needs root (or {@code CAP_SYS_ADMIN}); where it fails the test is
 * skipped, saying why.
 */
final class TinyFilesystem implements AutoCloseable {

	private final Path directory;

	private final Path filler;

	private TinyFilesystem(Path directory) {
		this.directory = directory;
		this.filler = directory.resolve("filler");
	}

	/**
	 * Mount a tmpfs of the given size on the directory, or skip the test.
	 * @param directory an empty directory
	 * @param size the size, as {@code mount -o size=} takes it, such as {@code 16m}
	 * @return the mounted filesystem
	 */
	static TinyFilesystem mount(Path directory, String size) throws IOException, InterruptedException {
		Files.createDirectories(directory);
		Result mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", directory.toString());
		Assumptions.assumeTrue(mounted.status() == 0,
				() -> "Skipped: cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): " + mounted.output());
		return new TinyFilesystem(directory);
	}

	Path path() {
		return this.directory;
	}

	/**
	 * Write a file until the filesystem has no space left.
	 */
	TinyFilesystem fill() throws IOException {
		byte[] block = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(this.filler)) {
			for (int i = 0; i < 1_000_000; i++) {
				out.write(block);
			}
		}
		catch (IOException ex) {
			if (!String.valueOf(ex.getMessage()).contains("No space left on device")) {
				throw ex;
			}
			return this;
		}
		throw new IllegalStateException("Wrote 64 GB to " + this.directory + " without filling it");
	}

	/**
	 * Delete what {@link #fill()} wrote.
	 */
	void free() throws IOException {
		Files.deleteIfExists(this.filler);
	}

	@Override
	public void close() throws IOException, InterruptedException {
		if (run("umount", this.directory.toString()).status() != 0) {
			// a file may still be open; detach it now, freed once closed
			run("umount", "-l", this.directory.toString());
		}
	}

	private static Result run(String... command) throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			return new Result(-1, ex.toString());
		}
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return new Result(-1, String.join(" ", command) + " did not end within 30 s");
		}
		return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes()).trim());
	}

	private record Result(int status, String output) {

	}

}

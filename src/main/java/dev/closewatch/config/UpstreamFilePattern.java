package dev.closewatch.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code closewatch.upstream-files}: a path, or a glob in its file name.
 *
 * @param directory the directory the files are in, which is watched
 * @param glob the file name pattern, {@code null} for a plain path
 * @param path the plain path, {@code null} for a glob
 */
record UpstreamFilePattern(Path directory, @org.jspecify.annotations.Nullable String glob,
		@org.jspecify.annotations.Nullable Path path) {

	static UpstreamFilePattern of(String entry) {
		Path given = Path.of(entry).toAbsolutePath().normalize();
		String name = (given.getFileName() != null) ? given.getFileName().toString() : "";
		Path directory = given.getParent();
		if (directory == null) {
			throw new IllegalArgumentException("closewatch.upstream-files: '" + entry + "' names no file");
		}
		if (directory.toString().matches(".*[*?\\[{].*")) {
			throw new IllegalArgumentException("closewatch.upstream-files: '" + entry
					+ "' has a wildcard in a directory; only the file name may be a glob");
		}
		boolean glob = name.matches(".*[*?\\[{].*");
		return glob ? new UpstreamFilePattern(directory, name, null) : new UpstreamFilePattern(directory, null, given);
	}

	boolean isGlob() {
		return this.glob != null;
	}

	/**
	 * Return the files this entry names now, in name order; hidden files (such as
	 * Kubernetes' {@code ..data}) never match a glob.
	 */
	List<Path> files() throws IOException {
		if (this.path != null) {
			return List.of(this.path);
		}
		List<Path> files = new ArrayList<>();
		if (!Files.isDirectory(this.directory)) {
			return files;
		}
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + this.glob);
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.directory)) {
			for (Path entry : entries) {
				Path name = entry.getFileName();
				if (!name.toString().startsWith(".") && matcher.matches(name) && Files.isRegularFile(entry)) {
					files.add(entry);
				}
			}
		}
		files.sort(null);
		return files;
	}

}

package dev.closewatch.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart under test: renders it with the embedded Helm and gives typed-enough access to the result.
 */
final class Chart {

	static final Path DIR = Paths.get(System.getProperty("chart.dir", "../../helm/closewatch")).toAbsolutePath().normalize();

	static final String RELEASE = "watch";

	static final String NAMESPACE = "observability";

	private Chart() {
	}

	static Path scenario(String name) {
		return DIR.resolve("ci").resolve(name + "-values.yaml");
	}

	static List<String> scenarios() {
		try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
			return files.map((p) -> p.getFileName().toString())
				.filter((n) -> n.endsWith("-values.yaml"))
				.map((n) -> n.substring(0, n.length() - "-values.yaml".length()))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Rendered render(String scenario, Map<String, Object> sets) {
		TemplateCommand template = new Helm(DIR).template()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.withKubeVersion("1.31.0")
			.withValuesFile(scenario(scenario));
		sets.forEach(template::set);
		return new Rendered(template.call());
	}

	static Rendered render(String scenario) {
		return render(scenario, Map.of());
	}

	static Yaml yaml() {
		return new Yaml(new SafeConstructor(new LoaderOptions()));
	}

	static String dump(Object value) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return new Yaml(options).dump(value);
	}

	/** Navigates nested maps and lists: get(doc, "spec", "template", "spec", "containers", 0). */
	@SuppressWarnings("unchecked")
	static <T> T get(Object node, Object... path) {
		Object current = node;
		for (Object step : path) {
			if (current == null) {
				return null;
			}
			current = (step instanceof Integer index) ? ((List<Object>) current).get(index)
					: ((Map<String, Object>) current).get(step);
		}
		return (T) current;
	}

	/** The output of one `helm template`. */
	record Rendered(String text) {

		List<Map<String, Object>> documents() {
			List<Map<String, Object>> documents = new ArrayList<>();
			for (Object document : yaml().loadAll(this.text)) {
				if (document != null) {
					@SuppressWarnings("unchecked")
					Map<String, Object> map = (Map<String, Object>) document;
					documents.add(map);
				}
			}
			return documents;
		}

		List<String> kinds() {
			return documents().stream().map((d) -> (String) d.get("kind")).sorted().toList();
		}

		List<Map<String, Object>> all(String kind) {
			return documents().stream().filter((d) -> kind.equals(d.get("kind"))).toList();
		}

		Map<String, Object> one(String kind) {
			return one(kind, (d) -> true);
		}

		Map<String, Object> one(String kind, Predicate<Map<String, Object>> filter) {
			List<Map<String, Object>> matches = all(kind).stream().filter(filter).toList();
			if (matches.size() != 1) {
				throw new AssertionError("expected one " + kind + " but found " + matches.size() + " in\n" + this.text);
			}
			return matches.get(0);
		}

		Map<String, Object> deployment() {
			return one("Deployment");
		}

		Map<String, Object> container() {
			return get(deployment(), "spec", "template", "spec", "containers", 0);
		}

		Map<String, Object> applicationYaml() {
			Map<String, Object> configMap = one("ConfigMap", (d) -> {
				String name = Objects.toString(get(d, "metadata", "name"));
				return !name.endsWith("-dashboard") && !name.endsWith("-upstreams");
			});
			Map<String, Object> parsed = yaml().load((String) get(configMap, "data", "application.yaml"));
			return (parsed != null) ? parsed : new LinkedHashMap<>();
		}

		Map<String, Object> upstreamsConfigMap() {
			return one("ConfigMap", (d) -> Objects.toString(get(d, "metadata", "name")).endsWith("-upstreams"));
		}

		/** The watched upstreams file: a map from name to settings. */
		Map<String, Object> upstreamsYaml() {
			Map<String, Object> parsed = yaml().load((String) get(upstreamsConfigMap(), "data", "upstreams.yaml"));
			return (parsed != null) ? parsed : new LinkedHashMap<>();
		}

		String configChecksum() {
			return get(deployment(), "spec", "template", "metadata", "annotations", "checksum/config");
		}

	}

}

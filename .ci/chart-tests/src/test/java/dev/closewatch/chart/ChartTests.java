package dev.closewatch.chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.google.gson.JsonParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.closewatch.chart.Chart.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class ChartTests {

	private static final Set<String> SELECTOR_KEYS = Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance");

	static List<String> scenarios() {
		return Chart.scenarios();
	}

	@Test
	void hasTheExpectedScenarios() {
		assertThat(Chart.scenarios()).contains("default", "minimal", "full", "existing-secret");
	}

	@Nested
	class EveryScenario {

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void lintsCleanInStrictMode(String scenario, @TempDir Path tmp) throws IOException {
			// helm lint has no --values here, so lint a copy whose values.yaml is defaults + scenario.
			Path chart = copyChart(tmp.resolve("closewatch"));
			Map<String, Object> merged = deepMerge(Chart.yaml().load(Files.readString(chart.resolve("values.yaml"))),
					Chart.yaml().load(Files.readString(Chart.scenario(scenario))));
			Files.writeString(chart.resolve("values.yaml"), Chart.dump(merged));

			LintResult result = new Helm(chart).lint().strict().call();

			result.getMessages().forEach((m) -> System.out.println("lint " + scenario + ": " + m));
			assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
			assertThat(result.getMessages()).noneMatch((m) -> m.contains("[ERROR]") || m.contains("[WARNING]"));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void rendersOnlyStrictlyValidObjects(String scenario) throws IOException {
			Chart.Rendered rendered = Chart.render(scenario);
			Path out = Paths.get("target", "rendered", scenario + ".yaml");
			Files.createDirectories(out.getParent());
			Files.writeString(out, rendered.text());

			assertThat(ManifestValidator.validate(rendered.documents())).isEmpty();
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void selectsPodsByNameAndInstanceOnly(String scenario) {
			Chart.Rendered rendered = Chart.render(scenario);
			Map<String, Object> deployment = rendered.deployment();
			Map<String, Object> selector = get(deployment, "spec", "selector", "matchLabels");

			assertThat(selector).containsOnlyKeys(SELECTOR_KEYS)
				.containsEntry("app.kubernetes.io/name", "closewatch")
				.containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
			assertThat((Map<String, Object>) get(deployment, "spec", "selector")).containsOnlyKeys("matchLabels");
			assertThat((Map<String, Object>) get(deployment, "spec", "template", "metadata", "labels"))
				.containsAllEntriesOf(selector);
			assertThat((Map<String, Object>) get(rendered.one("Service"), "spec", "selector")).isEqualTo(selector);
			rendered.all("PodDisruptionBudget")
				.forEach((pdb) -> assertThat((Map<String, Object>) get(pdb, "spec", "selector", "matchLabels"))
					.isEqualTo(selector));
			rendered.all("ServiceMonitor")
				.forEach((sm) -> assertThat((Map<String, Object>) get(sm, "spec", "selector", "matchLabels"))
					.isEqualTo(selector));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void labelsEveryObjectTheKubernetesWay(String scenario) {
			for (Map<String, Object> document : Chart.render(scenario).documents()) {
				Map<String, Object> labels = get(document, "metadata", "labels");
				assertThat(labels).as("%s labels", document.get("kind"))
					.containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
							"app.kubernetes.io/managed-by", "helm.sh/chart");
			}
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void probesHitLivezAndReadyzOnTheNamedPort(String scenario) {
			Map<String, Object> container = Chart.render(scenario).container();

			assertThat((String) get(container, "livenessProbe", "httpGet", "path")).isEqualTo("/livez");
			assertThat((String) get(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
			assertThat((String) get(container, "startupProbe", "httpGet", "path")).isEqualTo("/livez");
			assertThat((Object) get(container, "readinessProbe", "httpGet", "port")).isEqualTo("http");
			assertThat((Object) get(container, "ports", 0, "name")).isEqualTo("http");
			assertThat((Object) get(container, "ports", 0, "containerPort")).isEqualTo(8080);
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void runsHardened(String scenario) {
			Chart.Rendered rendered = Chart.render(scenario);
			Map<String, Object> pod = get(rendered.deployment(), "spec", "template", "spec");
			Map<String, Object> container = rendered.container();

			assertThat((Object) get(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
			assertThat((Integer) get(pod, "securityContext", "runAsUser")).isPositive();
			assertThat((Object) get(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
			assertThat((Object) get(container, "securityContext", "runAsNonRoot")).isEqualTo(true);
			assertThat((Integer) get(container, "securityContext", "runAsUser")).isPositive();
			assertThat((Object) get(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
			assertThat((Object) get(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
			assertThat((List<Object>) get(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
			assertThat((Object) get(container, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
			assertThat((Object) get(pod, "automountServiceAccountToken")).isEqualTo(false);
			// the embedded server needs a writable /tmp on a read-only root filesystem
			assertThat((List<Map<String, Object>>) get(container, "volumeMounts"))
				.anySatisfy((m) -> assertThat(m).containsEntry("mountPath", "/tmp").containsEntry("name", "tmp"));
			assertThat((List<Map<String, Object>>) get(pod, "volumes"))
				.anySatisfy((v) -> assertThat(v).containsEntry("name", "tmp").containsKey("emptyDir"));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void mountsTheRenderedConfigWhereSpringLooksForIt(String scenario) {
			Chart.Rendered rendered = Chart.render(scenario);
			Map<String, Object> container = rendered.container();

			assertThat((List<Map<String, Object>>) get(container, "volumeMounts"))
				.anySatisfy((m) -> assertThat(m).containsEntry("mountPath", "/config").containsEntry("name", "config"));
			assertThat((List<Map<String, Object>>) get(container, "env")).anySatisfy((e) -> assertThat(e)
				.containsEntry("name", "SPRING_CONFIG_ADDITIONAL_LOCATION")
				.containsEntry("value", "optional:file:/config/"));
			assertThat(rendered.configChecksum()).matches("[0-9a-f]{64}");
		}

	}

	@Nested
	class Defaults {

		@Test
		void rendersOnlyTheCoreObjects() {
			assertThat(Chart.render("default").kinds()).containsExactly("ConfigMap", "Deployment", "Service",
					"ServiceAccount");
		}

		@Test
		void hasAValidHelmTestPod(@TempDir Path tmp) throws IOException {
			// helm template leaves test hooks out, so render a copy where the test is a plain template.
			Path chart = copyChart(tmp.resolve("closewatch"));
			Path test = chart.resolve("templates/tests/test-connection.yaml");
			String text = Files.readString(test);
			assertThat(text).contains("helm.sh/hook: test");
			Files.writeString(chart.resolve("templates/test-connection-as-plain.yaml"),
					text.replace("helm.sh/hook: test", "example.com/was-hook: test"));
			String rendered = new Helm(chart).template()
				.withName(Chart.RELEASE)
				.withNamespace(Chart.NAMESPACE)
				.withKubeVersion("1.31.0")
				.call();
			Map<String, Object> pod = new Chart.Rendered(rendered).one("Pod");

			assertThat(ManifestValidator.validate(List.of(pod))).isEmpty();
			assertThat((List<String>) get(pod, "spec", "containers", 0, "command")).last()
				.asString()
				.contains("http://watch-closewatch:8080/readyz");
		}

		@Test
		void leavesEmptyConfigurationToTheServiceDefaults() {
			Map<String, Object> config = Chart.render("default").applicationYaml();

			assertThat(config).containsOnlyKeys("closewatch");
			assertThat((Map<String, Object>) config.get("closewatch")).isEmpty();
		}

		@Test
		void setsNoResourcesAndOneReplica() {
			Map<String, Object> deployment = Chart.render("default").deployment();

			assertThat((Object) get(deployment, "spec", "replicas")).isEqualTo(1);
			assertThat((Map<String, Object>) get(deployment, "spec", "template", "spec", "containers", 0, "resources"))
				.isEmpty();
			assertThat((String) get(deployment, "spec", "template", "spec", "containers", 0, "image"))
				.isEqualTo("ghcr.io/closewatch/closewatch:0.1.0-SNAPSHOT");
		}

	}

	@Nested
	class Configuration {

		@Test
		void rendersUpstreamsWithSpringKeys() {
			Map<String, Object> closewatch = (Map<String, Object>) Chart.render("full").applicationYaml().get("closewatch");

			assertThat((Object) get(closewatch, "upstreams", "prices", "url")).isEqualTo("wss://feed.example.com/prices");
			assertThat((Object) get(closewatch, "upstreams", "prices", "on-open")).isEqualTo("{\"subscribe\":\"ticker\"}");
			assertThat((Object) get(closewatch, "upstreams", "prices", "reconnect", "max-delay")).isEqualTo("10s");
			assertThat((List<Object>) get(closewatch, "upstreams", "prices", "subprotocols")).containsExactly("v2.prices");
			assertThat((Object) get(closewatch, "reconnect", "max-retries")).isEqualTo(-1);
			assertThat((Object) get(closewatch, "connect-timeout")).isEqualTo("20s");
			assertThat((Object) get(closewatch, "history", "capacity")).isEqualTo(20000);
		}

		@Test
		void mergesExtraSpringConfiguration() {
			Map<String, Object> config = Chart.render("full").applicationYaml();

			assertThat((Object) get(config, "management", "metrics", "tags", "cluster")).isEqualTo("prod-eu");
		}

		@Test
		void keepsSecretsOutOfTheConfigMapAndTakesThemFromExistingSecrets() {
			Chart.Rendered rendered = Chart.render("existing-secret");
			Map<String, Object> container = rendered.container();

			assertThat((Object) get(rendered.applicationYaml(), "closewatch", "upstreams", "prices", "headers",
					"Authorization"))
				.isEqualTo("Bearer ${PRICES_TOKEN}");
			assertThat((List<Map<String, Object>>) get(container, "env")).anySatisfy((e) -> {
				assertThat(e).containsEntry("name", "PRICES_TOKEN");
				assertThat((Object) get(e, "valueFrom", "secretKeyRef", "name")).isEqualTo("closewatch-tokens");
				assertThat((Object) get(e, "valueFrom", "secretKeyRef", "key")).isEqualTo("prices");
			});
			assertThat((Object) get(container, "envFrom", 0, "secretRef", "name")).isEqualTo("closewatch-extra-credentials");
			assertThat(rendered.kinds()).doesNotContain("Secret", "ServiceAccount");
			assertThat((Object) get(rendered.deployment(), "spec", "template", "spec", "serviceAccountName"))
				.isEqualTo("monitoring");
		}

		@Test
		void changesTheConfigChecksumWhenUpstreamsChange() {
			String base = Chart.render("minimal").configChecksum();

			assertThat(Chart.render("minimal").configChecksum()).as("deterministic").isEqualTo(base);
			assertThat(Chart.render("minimal", Map.of("replicaCount", 3)).configChecksum()).as("config untouched")
				.isEqualTo(base);
			assertThat(Chart.render("minimal", Map.of("closewatch.upstreams.echo.url", "wss://other.example.com/socket"))
				.configChecksum()).as("url changed").isNotEqualTo(base);
			assertThat(Chart.render("minimal", Map.of("closewatch.upstreams.news.url", "wss://news.example.com/ws"))
				.configChecksum()).as("upstream added").isNotEqualTo(base);
		}

	}

	@Nested
	class Schema {

		@Test
		void rejectsUpstreamNamesThatAreNotKebabCase() {
			assertThatException().isThrownBy(
					() -> Chart.render("minimal", Map.of("closewatch.upstreams.Prices_Feed.url", "wss://x.example.com")))
				.withMessageContaining("Prices_Feed");
		}

		@Test
		void rejectsNonWebSocketUrls() {
			assertThatException()
				.isThrownBy(() -> Chart.render("minimal", Map.of("closewatch.upstreams.echo.url", "https://x.example.com")))
				.withMessageContaining("url");
		}

		@Test
		void rejectsUnknownKeys() {
			assertThatException()
				.isThrownBy(() -> Chart.render("minimal", Map.of("closewatch.upstreams.echo.headerz.a", "b")))
				.withMessageContaining("headerz");
			assertThatException().isThrownBy(() -> Chart.render("default", Map.of("serviceMonitor.enable", true)))
				.withMessageContaining("enable");
		}

		@Test
		void rejectsSecretEnvWithoutKey() {
			assertThatException()
				.isThrownBy(() -> Chart.render("default",
						Map.of("secretEnv[0].name", "TOKEN", "secretEnv[0].secretName", "s")))
				.withMessageContaining("key");
		}

	}

	@Nested
	class Monitoring {

		@Test
		void rendersEveryOptionalObjectWhenEnabled() {
			assertThat(Chart.render("full").kinds()).contains("PodDisruptionBudget", "PrometheusRule", "ServiceMonitor")
				.filteredOn("ConfigMap"::equals)
				.hasSize(2);
		}

		@Test
		void scrapesThePrometheusEndpointOnTheNamedPort() {
			Map<String, Object> serviceMonitor = Chart.render("full").one("ServiceMonitor");

			assertThat((Object) get(serviceMonitor, "spec", "endpoints", 0, "port")).isEqualTo("http");
			assertThat((Object) get(serviceMonitor, "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
			assertThat((Object) get(serviceMonitor, "spec", "endpoints", 0, "interval")).isEqualTo("15s");
			assertThat((Object) get(serviceMonitor, "spec", "jobLabel")).isEqualTo("app.kubernetes.io/name");
			assertThat((Object) get(serviceMonitor, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
			assertThat((List<Object>) get(serviceMonitor, "spec", "namespaceSelector", "matchNames"))
				.containsExactly(Chart.NAMESPACE);
			assertThat((Object) get(Chart.render("full").one("Service"), "spec", "ports", 0, "name")).isEqualTo("http");
		}

		@Test
		void carriesTheTestedRuleFileInThePrometheusRule() throws IOException {
			Map<String, Object> rule = Chart.render("full").one("PrometheusRule");
			Map<String, Object> tested = Chart.yaml().load(Files.readString(Chart.DIR.resolve("rules/closewatch.rules.yaml")));
			List<Map<String, Object>> groups = get(rule, "spec", "groups");

			assertThat(groups).hasSize(2);
			assertThat(groups.get(0)).isEqualTo(get(tested, "groups", 0));
			assertThat((Object) get(groups.get(1), "name")).isEqualTo("closewatch.additional");
			assertThat((Object) get(rule, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
			// for promtool check rules in .ci/chart-checks.sh
			Path out = Paths.get("target", "rendered", "prometheusrule-groups.yaml");
			Files.createDirectories(out.getParent());
			Files.writeString(out, Chart.dump(Map.of("groups", groups)));
		}

		@Test
		void pointsTheAlertsAtTheConfiguredJob() {
			Map<String, Object> rule = Chart.render("full", Map.of("prometheusRule.job", "kubernetes-pods")).one("PrometheusRule");
			List<Map<String, Object>> rules = get(rule, "spec", "groups", 0, "rules");

			assertThat(rules).allSatisfy((r) -> assertThat((String) r.get("expr")).contains("job=\"kubernetes-pods\"")
				.doesNotContain("job=\"closewatch\""));
		}

		@Test
		void shipsTheDashboardForGrafanasSidecar() throws IOException {
			Map<String, Object> dashboard = Chart.render("full").one("ConfigMap",
					(d) -> ((String) get(d, "metadata", "name")).endsWith("-dashboard"));
			String json = get(dashboard, "data", "closewatch.json");

			assertThat((Object) get(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
			assertThat((Object) get(dashboard, "metadata", "namespace")).isEqualTo("monitoring");
			assertThat((Object) get(dashboard, "metadata", "annotations", "grafana_folder")).isEqualTo("WebSockets");
			assertThat(JsonParser.parseString(json))
				.isEqualTo(JsonParser.parseString(Files.readString(Chart.DIR.resolve("dashboards/closewatch.json"))));
		}

		@Test
		void protectsAvailabilityWithADisruptionBudget() {
			Map<String, Object> pdb = Chart.render("full").one("PodDisruptionBudget");

			assertThat((Object) get(pdb, "spec", "maxUnavailable")).isEqualTo(1);
			assertThat((Map<String, Object>) get(pdb, "spec")).doesNotContainKey("minAvailable");
		}

	}

	@Nested
	class Validator {

		@Test
		void catchesUnknownFieldsMissingFieldsAndWrongTypes() {
			List<Map<String, Object>> broken = documents("""
					apiVersion: apps/v1
					kind: Deployment
					metadata: {name: a}
					spec:
					  replica: 1
					  selector: {matchLabels: {a: b}}
					  template: {metadata: {labels: {a: b}}, spec: {containers: [{image: i}]}}
					---
					apiVersion: v1
					kind: Pod
					metadata: {name: p}
					spec: {containers: [{image: i}]}
					---
					apiVersion: v1
					kind: Service
					metadata: {name: b}
					spec: {ports: [{port: eighty}]}
					---
					apiVersion: monitoring.coreos.com/v1
					kind: ServiceMonitor
					metadata: {name: c}
					spec: {selector: {}, endpoints: [{port: http, pathh: /metrics}]}
					""");

			assertThat(ManifestValidator.validate(broken)).hasSize(4)
				.anySatisfy((p) -> assertThat(p).contains("Pod/p").contains("`name`"))
				.anySatisfy((p) -> assertThat(p).contains("replica"))
				.anySatisfy((p) -> assertThat(p).contains("eighty"))
				.anySatisfy((p) -> assertThat(p).contains("pathh"));
		}

		@SuppressWarnings("unchecked")
		private static List<Map<String, Object>> documents(String yaml) {
			return Stream.of(yaml.split("(?m)^---$"))
				.map((d) -> (Map<String, Object>) Chart.yaml().load(d))
				.toList();
		}

	}

	private static Path copyChart(Path target) throws IOException {
		try (Stream<Path> files = Files.walk(Chart.DIR)) {
			for (Path source : files.toList()) {
				Path destination = target.resolve(Chart.DIR.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(source, destination);
				}
			}
		}
		return target;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
		Map<String, Object> result = new LinkedHashMap<>(base);
		if (overlay == null) {
			return result;
		}
		overlay.forEach((key, value) -> {
			Object existing = result.get(key);
			if (existing instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
				result.put(key, deepMerge((Map<String, Object>) a, (Map<String, Object>) b));
			}
			else {
				result.put(key, value);
			}
		});
		return result;
	}

}

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

	private static final String HISTORY_DIR = "/var/lib/closewatch";

	private static final Set<String> SELECTOR_KEYS = Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance");

	static List<String> scenarios() {
		return Chart.scenarios();
	}

	@Test
	void hasTheExpectedScenarios() {
		assertThat(Chart.scenarios()).contains("default", "minimal", "full", "existing-secret", "sqlite-pvc",
				"existing-claim", "no-persistence", "postgresql");
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

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void keepsTheSqliteHistoryOnItsVolumeOnly(String scenario) {
			Chart.Rendered rendered = Chart.render(scenario);
			Map<String, Object> container = rendered.container();
			List<Map<String, Object>> mounts = get(container, "volumeMounts");
			List<Map<String, Object>> env = get(container, "env");

			if ("sqlite".equals(historyStore(rendered))) {
				assertThat(mounts).anySatisfy((m) -> assertThat(m).containsEntry("mountPath", HISTORY_DIR)
					.containsEntry("name", "data")
					.doesNotContainKey("readOnly"));
				assertThat(env).anySatisfy((e) -> assertThat(e).containsEntry("name", "CLOSEWATCH_HISTORY_SQLITE_PATH")
					.containsEntry("value", HISTORY_DIR + "/closewatch.db"));
				assertThat(dataVolume(rendered).keySet()).containsAnyOf("persistentVolumeClaim", "emptyDir");
			}
			else {
				assertThat(mounts).noneMatch((m) -> HISTORY_DIR.equals(m.get("mountPath")));
				assertThat(env).noneMatch((e) -> "CLOSEWATCH_HISTORY_SQLITE_PATH".equals(e.get("name")));
				assertThat(rendered.kinds()).doesNotContain("PersistentVolumeClaim");
			}
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void recreatesThePodExactlyWhenTheSqliteHistoryIsOnAClaim(String scenario) {
			Chart.Rendered rendered = Chart.render(scenario);
			Map<String, Object> deployment = rendered.deployment();
			boolean onClaim = "sqlite".equals(historyStore(rendered))
					&& dataVolume(rendered).containsKey("persistentVolumeClaim");

			if (onClaim) {
				assertThat((Object) get(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
				assertThat((Map<String, Object>) get(deployment, "spec", "strategy")).containsEntry("rollingUpdate", null);
				assertThat((Object) get(deployment, "spec", "replicas")).isEqualTo(1);
			}
			else {
				assertThat((Map<String, Object>) get(deployment, "spec")).doesNotContainKey("strategy");
			}
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("dev.closewatch.chart.ChartTests#scenarios")
		void neverCarriesADatabasePasswordInPlainText(String scenario) {
			Chart.Rendered rendered = Chart.render(scenario);
			List<Map<String, Object>> env = get(rendered.container(), "env");

			assertThat(env).filteredOn((e) -> "SPRING_DATASOURCE_PASSWORD".equals(e.get("name")))
				.allSatisfy((e) -> assertThat(e).doesNotContainKey("value").containsKey("valueFrom"));
			assertThat((Object) get(rendered.applicationYaml(), "spring", "datasource", "password")).isNull();
			assertThat(rendered.kinds()).doesNotContain("Secret");
		}

	}

	@Nested
	class Defaults {

		@Test
		void rendersOnlyTheCoreObjects() {
			assertThat(Chart.render("default").kinds()).containsExactly("ConfigMap", "ConfigMap", "Deployment",
					"PersistentVolumeClaim", "Service", "ServiceAccount");
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

			// only the store, which the chart's volume is for, and the upstreams file the chart mounts
			assertThat(config).containsOnlyKeys("closewatch");
			assertThat((Map<String, Object>) config.get("closewatch")).isEqualTo(Map.of("history",
					Map.of("store", "sqlite"), "upstream-files", List.of("/etc/closewatch/upstreams/*.yaml")));
			assertThat(Chart.render("default").upstreamsYaml()).isEmpty();
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
			Chart.Rendered rendered = Chart.render("full");
			Map<String, Object> closewatch = (Map<String, Object>) rendered.applicationYaml().get("closewatch");
			Map<String, Object> upstreams = rendered.upstreamsYaml();

			assertThat(closewatch).doesNotContainKey("upstreams");
			assertThat((Object) get(upstreams, "prices", "url")).isEqualTo("wss://feed.example.com/prices");
			assertThat((Object) get(upstreams, "prices", "on-open")).isEqualTo("{\"subscribe\":\"ticker\"}");
			assertThat((Object) get(upstreams, "prices", "reconnect", "max-delay")).isEqualTo("10s");
			assertThat((List<Object>) get(upstreams, "prices", "subprotocols")).containsExactly("v2.prices");
			assertThat((Object) get(upstreams, "prices", "labels", "team")).isEqualTo("payments");
			assertThat((Object) get(closewatch, "reconnect", "max-retries")).isEqualTo(-1);
			assertThat((Object) get(closewatch, "connect-timeout")).isEqualTo("20s");
			assertThat((Object) get(closewatch, "history", "store")).isEqualTo("postgresql");
			assertThat((Object) get(closewatch, "history", "retention", "max-age")).isEqualTo("30d");
			assertThat((Object) get(closewatch, "history", "retention", "max-events")).isEqualTo(5000000);
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

			assertThat((Object) get(rendered.upstreamsYaml(), "prices", "headers", "Authorization"))
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
		void keepsThePodTemplateWhenOnlyUpstreamsChange() {
			Chart.Rendered base = Chart.render("minimal");
			Object template = get(base.deployment(), "spec", "template");

			assertThat((Object) get(Chart.render("minimal").deployment(), "spec", "template")).as("deterministic")
				.isEqualTo(template);
			Chart.Rendered changed = Chart.render("minimal",
					Map.of("closewatch.upstreams.echo.url", "wss://other.example.com/socket"));
			Chart.Rendered added = Chart.render("minimal",
					Map.of("closewatch.upstreams.news.url", "wss://news.example.com/ws"));
			assertThat((Object) get(changed.deployment(), "spec", "template")).as("url changed").isEqualTo(template);
			assertThat((Object) get(added.deployment(), "spec", "template")).as("upstream added").isEqualTo(template);
			assertThat(changed.upstreamsYaml()).isNotEqualTo(base.upstreamsYaml());
			assertThat((Object) get(added.upstreamsYaml(), "news", "url")).isEqualTo("wss://news.example.com/ws");
		}

		@Test
		void changesTheConfigChecksumWhenApplicationConfigurationChanges() {
			String base = Chart.render("minimal").configChecksum();

			assertThat(Chart.render("minimal", Map.of("replicaCount", 3, "persistence.enabled", false)).configChecksum())
				.as("config untouched")
				.isEqualTo(base);
			assertThat(Chart.render("minimal", Map.of("closewatch.connect-timeout", "5s")).configChecksum())
				.as("connect-timeout changed")
				.isNotEqualTo(base);
		}

		@Test
		void mountsTheUpstreamsAsAWatchedDirectoryWithoutSubPath() {
			Chart.Rendered rendered = Chart.render("minimal");
			Map<String, Object> pod = get(rendered.deployment(), "spec", "template", "spec");
			Map<String, Object> annotations = get(rendered.deployment(), "spec", "template", "metadata", "annotations");

			assertThat((List<Map<String, Object>>) get(rendered.container(), "volumeMounts")).anySatisfy((m) -> assertThat(m)
				.containsEntry("name", "upstreams")
				.containsEntry("mountPath", "/etc/closewatch/upstreams")
				.doesNotContainKey("subPath"));
			assertThat((List<Map<String, Object>>) get(pod, "volumes")).anySatisfy((v) -> {
				assertThat(v).containsEntry("name", "upstreams");
				assertThat((Object) get(v, "configMap", "name")).isEqualTo("watch-closewatch-upstreams");
			});
			assertThat(annotations.keySet()).containsExactly("checksum/config");
			assertThat((List<Object>) get(rendered.applicationYaml(), "closewatch", "upstream-files"))
				.containsExactly("/etc/closewatch/upstreams/*.yaml");
			assertThat((Object) get(rendered.upstreamsYaml(), "echo", "url")).isEqualTo("wss://echo.example.com/socket");
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
	class History {

		@Test
		void keepsTheSqliteHistoryOnAClaimByDefault() {
			Chart.Rendered rendered = Chart.render("default");
			Map<String, Object> claim = rendered.one("PersistentVolumeClaim");

			assertThat((Object) get(claim, "metadata", "name")).isEqualTo("watch-closewatch-data");
			assertThat((List<Object>) get(claim, "spec", "accessModes")).containsExactly("ReadWriteOnce");
			assertThat((Object) get(claim, "spec", "resources", "requests", "storage")).isEqualTo("2Gi");
			assertThat((Map<String, Object>) get(claim, "spec")).doesNotContainKey("storageClassName");
			assertThat((Map<String, Object>) get(claim, "metadata")).doesNotContainKey("annotations");
			assertThat((Object) get(dataVolume(rendered), "persistentVolumeClaim", "claimName"))
				.isEqualTo("watch-closewatch-data");
			assertThat((Object) get(rendered.deployment(), "spec", "strategy", "type")).isEqualTo("Recreate");
			assertThat(historyStore(rendered)).isEqualTo("sqlite");
		}

		@Test
		void createsTheClaimAsConfigured() {
			Chart.Rendered rendered = Chart.render("sqlite-pvc");
			Map<String, Object> claim = rendered.one("PersistentVolumeClaim");

			assertThat((Object) get(claim, "spec", "storageClassName")).isEqualTo("fast-ssd");
			assertThat((List<Object>) get(claim, "spec", "accessModes")).containsExactly("ReadWriteOncePod");
			assertThat((Object) get(claim, "spec", "resources", "requests", "storage")).isEqualTo("10Gi");
			assertThat((Object) get(claim, "metadata", "annotations", "helm.sh/resource-policy")).isEqualTo("keep");
			assertThat((Object) get(rendered.applicationYaml(), "closewatch", "history", "retention", "max-age"))
				.isEqualTo("14d");
		}

		@Test
		void turnsDynamicProvisioningOffWithADash() {
			Map<String, Object> claim = Chart.render("default", Map.of("persistence.storageClass", "-"))
				.one("PersistentVolumeClaim");

			assertThat((Object) get(claim, "spec", "storageClassName")).isEqualTo("");
		}

		@Test
		void mountsAnExistingClaimWithoutCreatingOne() {
			Chart.Rendered rendered = Chart.render("existing-claim");

			assertThat(rendered.kinds()).doesNotContain("PersistentVolumeClaim");
			assertThat((Object) get(dataVolume(rendered), "persistentVolumeClaim", "claimName"))
				.isEqualTo("closewatch-history");
			assertThat((Object) get(rendered.deployment(), "spec", "strategy", "type")).isEqualTo("Recreate");
		}

		@Test
		void keepsTheHistoryOnAnEmptyDirWhenPersistenceIsDisabled() {
			Chart.Rendered rendered = Chart.render("no-persistence");

			assertThat(rendered.kinds()).doesNotContain("PersistentVolumeClaim");
			assertThat(dataVolume(rendered)).containsOnlyKeys("name", "emptyDir");
			assertThat((Map<String, Object>) get(rendered.deployment(), "spec")).doesNotContainKey("strategy")
				.containsEntry("replicas", 2);
			assertThat((Object) get(rendered.applicationYaml(), "closewatch", "history", "sqlite", "synchronous"))
				.as("a string, not YAML's boolean").isEqualTo("off");
		}

		@Test
		void needsNoVolumeForTheMemoryStore() {
			Chart.Rendered rendered = Chart.render("default", Map.of("closewatch.history.store", "memory"));
			List<Map<String, Object>> volumes = get(rendered.deployment(), "spec", "template", "spec", "volumes");

			assertThat(rendered.kinds()).doesNotContain("PersistentVolumeClaim");
			assertThat(volumes).extracting((v) -> v.get("name")).containsExactly("config", "upstreams", "tmp");
			assertThat((Map<String, Object>) get(rendered.deployment(), "spec")).doesNotContainKey("strategy");
			assertThat(historyStore(rendered)).isEqualTo("memory");
		}

		@Test
		void connectsToPostgresqlWithThePasswordFromTheExistingSecret() {
			Chart.Rendered rendered = Chart.render("postgresql");
			List<Map<String, Object>> env = get(rendered.container(), "env");

			assertThat(env).anySatisfy((e) -> assertThat(e).containsEntry("name", "SPRING_DATASOURCE_URL")
				.containsEntry("value",
						"jdbc:postgresql://postgres.databases.svc.cluster.local:5433/closewatch_prod?ApplicationName=closewatch&sslmode=require"));
			assertThat(env).anySatisfy((e) -> assertThat(e).containsEntry("name", "SPRING_DATASOURCE_USERNAME")
				.containsEntry("value", "closewatch_writer"));
			assertThat(env).anySatisfy((e) -> {
				assertThat(e).containsEntry("name", "SPRING_DATASOURCE_PASSWORD").doesNotContainKey("value");
				assertThat((Object) get(e, "valueFrom", "secretKeyRef", "name")).isEqualTo("closewatch-postgresql");
				assertThat((Object) get(e, "valueFrom", "secretKeyRef", "key")).isEqualTo("db-password");
			});
			assertThat(rendered.kinds()).doesNotContain("PersistentVolumeClaim", "Secret");
			assertThat((Object) get(rendered.applicationYaml(), "spring", "datasource", "hikari", "maximum-pool-size"))
				.isEqualTo(4);
			assertThat(historyStore(rendered)).isEqualTo("postgresql");
		}

		@Test
		void bracketsAnIpv6HostAndEncodesUrlParameters() {
			Chart.Rendered rendered = Chart.render("default",
					Map.of("closewatch.history.store", "postgresql", "postgresql.host", "fd00::5",
							"postgresql.existingSecret", "pg", "postgresql.parameters.options",
							"-c statement_timeout=5000"));

			assertThat((List<Map<String, Object>>) get(rendered.container(), "env"))
				.anySatisfy((e) -> assertThat(e).containsEntry("name", "SPRING_DATASOURCE_URL")
					.containsEntry("value", "jdbc:postgresql://[fd00::5]:5432/closewatch?options=-c+statement_timeout%3D5000"));
		}

		@Test
		void failsWhenPostgresqlHasNoHost() {
			assertThatException()
				.isThrownBy(() -> Chart.render("default",
						Map.of("closewatch.history.store", "postgresql", "postgresql.existingSecret", "pg")))
				.withMessageContaining("closewatch.history.store is postgresql, so set postgresql.host");
		}

		@Test
		void failsWhenPostgresqlHasNoExistingSecret() {
			assertThatException()
				.isThrownBy(() -> Chart.render("default",
						Map.of("closewatch.history.store", "postgresql", "postgresql.host", "db")))
				.withMessageContaining("so set postgresql.existingSecret");
		}

		@Test
		void rejectsAPlaintextPassword() {
			assertThatException()
				.isThrownBy(() -> Chart.render("postgresql", Map.of("postgresql.password", "hunter2")))
				.withMessageContaining("password");
		}

		@Test
		void failsWithSeveralReplicasOnOneSqliteClaim() {
			assertThatException().isThrownBy(() -> Chart.render("minimal", Map.of("replicaCount", 2)))
				.withMessageContaining("replicaCount is 2 but the SQLite history on a PersistentVolumeClaim allows one pod");
			assertThatException()
				.isThrownBy(() -> Chart.render("existing-claim", Map.of("replicaCount", 3)))
				.withMessageContaining("replicaCount is 3");
		}

		@Test
		void rejectsAnUnknownStore() {
			assertThatException()
				.isThrownBy(() -> Chart.render("default", Map.of("closewatch.history.store", "mysql")))
				.withMessageContaining("store");
		}

		@Test
		void rejectsAnSqlitePathTheVolumeWouldNotHold() {
			assertThatException()
				.isThrownBy(() -> Chart.render("default", Map.of("closewatch.history.sqlite.path", "/data/x.db")))
				.withMessageContaining("sqlite");
		}

	}

	@Nested
	class Cluster {

		@Test
		void sharesTheUpstreamsWithEachPodItsOwnMemberSpreadOverNodes() {
			Chart.Rendered rendered = Chart.render("cluster");
			Map<String, Object> deployment = rendered.deployment();

			assertThat((Object) get(rendered.applicationYaml(), "closewatch", "cluster", "enabled")).isEqualTo(true);
			assertThat((Object) get(deployment, "spec", "replicas")).isEqualTo(3);
			assertThat(env(deployment, "CLOSEWATCH_CLUSTER_MEMBER_ID")).isEqualTo(
					Map.of("name", "CLOSEWATCH_CLUSTER_MEMBER_ID", "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))));
			assertThat((Object) get(deployment, "spec", "template", "spec", "affinity", "podAntiAffinity",
					"preferredDuringSchedulingIgnoredDuringExecution", 0, "podAffinityTerm", "topologyKey"))
				.isEqualTo("kubernetes.io/hostname");
			assertThat(rendered.kinds()).contains("PodDisruptionBudget").doesNotContain("PersistentVolumeClaim");
		}

		@Test
		void limitsDisruptionsOfSeveralReplicasWithoutBeingAsked() {
			Chart.Rendered rendered = Chart.render("cluster", Map.of("podDisruptionBudget.enabled", false));

			assertThat((Object) get(rendered.one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
			assertThat(Chart.render("cluster", Map.of("podDisruptionBudget.enabled", false, "replicaCount", 1)).kinds())
				.doesNotContain("PodDisruptionBudget");
		}

		@Test
		void leavesAffinityAndMemberIdsAloneWithoutTheCluster() {
			Map<String, Object> deployment = Chart.render("postgresql").deployment();

			assertThat((Map<String, Object>) get(deployment, "spec", "template", "spec")).doesNotContainKey("affinity");
			assertThat(env(deployment, "CLOSEWATCH_CLUSTER_MEMBER_ID")).isNull();
		}

		@Test
		void refusesTheClusterOnAStoreOtherThanPostgresql() {
			assertThatException()
				.isThrownBy(() -> Chart.render("minimal", Map.of("closewatch.cluster.enabled", true)))
				.withMessageContaining("closewatch.cluster.enabled is true but closewatch.history.store is sqlite");
		}

		private static Map<String, Object> env(Map<String, Object> deployment, String name) {
			List<Map<String, Object>> env = get(deployment, "spec", "template", "spec", "containers", 0, "env");
			return env.stream().filter((variable) -> name.equals(variable.get("name"))).findFirst().orElse(null);
		}

	}

	@Nested
	class Monitoring {

		@Test
		void rendersEveryOptionalObjectWhenEnabled() {
			assertThat(Chart.render("full").kinds()).contains("PodDisruptionBudget", "PrometheusRule", "ServiceMonitor")
				.filteredOn("ConfigMap"::equals)
				.hasSize(3);
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

	private static String historyStore(Chart.Rendered rendered) {
		Object store = get(rendered.applicationYaml(), "closewatch", "history", "store");
		return (store != null) ? store.toString() : "sqlite";
	}

	private static Map<String, Object> dataVolume(Chart.Rendered rendered) {
		List<Map<String, Object>> volumes = get(rendered.deployment(), "spec", "template", "spec", "volumes");
		return volumes.stream().filter((v) -> "data".equals(v.get("name"))).findFirst().orElseGet(Map::of);
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

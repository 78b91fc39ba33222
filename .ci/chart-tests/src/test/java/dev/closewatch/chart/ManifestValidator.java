package dev.closewatch.chart;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Strict offline validation of rendered manifests: core kinds against the Kubernetes OpenAPI models
 * of client-java-api (unknown fields, missing required fields, wrong types), Prometheus-operator
 * custom resources against the fields this chart may use.
 */
final class ManifestValidator {

	private static final Gson GSON = new Gson();

	private static final Set<String> SERVICE_MONITOR_SPEC = Set.of("jobLabel", "targetLabels", "podTargetLabels",
			"endpoints", "selector", "namespaceSelector", "sampleLimit", "targetLimit", "labelLimit",
			"labelNameLengthLimit", "labelValueLengthLimit", "attachMetadata", "scrapeProtocols");

	private static final Set<String> SERVICE_MONITOR_ENDPOINT = Set.of("port", "targetPort", "path", "scheme",
			"params", "interval", "scrapeTimeout", "honorLabels", "honorTimestamps", "relabelings",
			"metricRelabelings", "tlsConfig", "bearerTokenSecret", "authorization", "basicAuth", "oauth2",
			"followRedirects", "enableHttp2", "filterRunning", "proxyUrl", "trackTimestampsStaleness");

	private static final Set<String> RELABEL_CONFIG = Set.of("sourceLabels", "separator", "targetLabel", "regex",
			"modulus", "replacement", "action");

	private static final Set<String> RULE_GROUP = Set.of("name", "interval", "rules", "limit", "partial_response_strategy",
			"query_offset");

	private static final Set<String> RULE = Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels",
			"annotations");

	private ManifestValidator() {
	}

	static List<String> validate(List<Map<String, Object>> documents) {
		List<String> problems = new ArrayList<>();
		for (Map<String, Object> document : documents) {
			JsonObject json = GSON.toJsonTree(document).getAsJsonObject();
			String where = describe(json);
			if (!json.has("apiVersion") || !json.has("kind")) {
				problems.add(where + ": apiVersion and kind are required");
				continue;
			}
			String apiVersion = json.get("apiVersion").getAsString();
			if (apiVersion.startsWith("monitoring.coreos.com/")) {
				validateCustomResource(json, where, problems);
			}
			else {
				validateCore(json, apiVersion, where, problems);
			}
		}
		return problems;
	}

	private static void validateCore(JsonObject json, String apiVersion, String where, List<String> problems) {
		String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
		String kind = json.get("kind").getAsString();
		String model = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0))
				+ version.substring(1) + kind;
		try {
			Class<?> type = Class.forName(model);
			type.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
			type.getMethod("fromJson", String.class).invoke(null, json.toString());
		}
		catch (ClassNotFoundException ex) {
			problems.add(where + ": no Kubernetes model " + model);
		}
		catch (InvocationTargetException ex) {
			problems.add(where + ": " + ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			problems.add(where + ": " + ex);
		}
	}

	private static void validateCustomResource(JsonObject json, String where, List<String> problems) {
		// metadata is a plain ObjectMeta, so the strict model applies to it.
		try {
			io.kubernetes.client.openapi.models.V1ObjectMeta.validateJsonElement(json.get("metadata"));
		}
		catch (Exception ex) {
			problems.add(where + " metadata: " + ex.getMessage());
		}
		onlyKeys(json, Set.of("apiVersion", "kind", "metadata", "spec"), where, problems);
		if (!json.get("apiVersion").getAsString().equals("monitoring.coreos.com/v1")) {
			problems.add(where + ": unsupported apiVersion");
		}
		JsonObject spec = json.getAsJsonObject("spec");
		if (spec == null) {
			problems.add(where + ": spec is required");
			return;
		}
		switch (json.get("kind").getAsString()) {
			case "ServiceMonitor" -> validateServiceMonitor(spec, where, problems);
			case "PrometheusRule" -> validatePrometheusRule(spec, where, problems);
			default -> problems.add(where + ": unknown custom resource kind");
		}
	}

	private static void validateServiceMonitor(JsonObject spec, String where, List<String> problems) {
		onlyKeys(spec, SERVICE_MONITOR_SPEC, where + " spec", problems);
		if (!spec.has("selector") || !spec.get("selector").isJsonObject()) {
			problems.add(where + ": spec.selector is required");
		}
		else {
			try {
				io.kubernetes.client.openapi.models.V1LabelSelector.validateJsonElement(spec.get("selector"));
			}
			catch (Exception ex) {
				problems.add(where + " spec.selector: " + ex.getMessage());
			}
		}
		if (!spec.has("endpoints") || !spec.get("endpoints").isJsonArray() || spec.getAsJsonArray("endpoints").isEmpty()) {
			problems.add(where + ": spec.endpoints must be a non-empty list");
			return;
		}
		for (JsonElement endpoint : spec.getAsJsonArray("endpoints")) {
			JsonObject ep = endpoint.getAsJsonObject();
			onlyKeys(ep, SERVICE_MONITOR_ENDPOINT, where + " endpoint", problems);
			for (String relabel : List.of("relabelings", "metricRelabelings")) {
				if (ep.has(relabel)) {
					ep.getAsJsonArray(relabel)
						.forEach((r) -> onlyKeys(r.getAsJsonObject(), RELABEL_CONFIG, where + " " + relabel, problems));
				}
			}
			for (String text : List.of("port", "path", "interval", "scrapeTimeout")) {
				if (ep.has(text) && !ep.get(text).getAsJsonPrimitive().isString()) {
					problems.add(where + " endpoint." + text + " must be a string");
				}
			}
		}
	}

	private static void validatePrometheusRule(JsonObject spec, String where, List<String> problems) {
		onlyKeys(spec, Set.of("groups"), where + " spec", problems);
		if (!spec.has("groups") || !spec.get("groups").isJsonArray()) {
			problems.add(where + ": spec.groups must be a list");
			return;
		}
		for (JsonElement g : spec.getAsJsonArray("groups")) {
			JsonObject group = g.getAsJsonObject();
			onlyKeys(group, RULE_GROUP, where + " group", problems);
			if (!group.has("name") || !group.has("rules")) {
				problems.add(where + ": a group needs name and rules");
				continue;
			}
			for (JsonElement r : group.getAsJsonArray("rules")) {
				JsonObject rule = r.getAsJsonObject();
				onlyKeys(rule, RULE, where + " rule", problems);
				if (rule.has("alert") == rule.has("record")) {
					problems.add(where + ": a rule needs exactly one of alert and record: " + rule);
				}
				if (!rule.has("expr") || rule.get("expr").getAsString().isBlank()) {
					problems.add(where + ": a rule needs expr: " + rule);
				}
			}
		}
	}

	private static void onlyKeys(JsonObject object, Set<String> allowed, String where, List<String> problems) {
		object.keySet()
			.stream()
			.filter((key) -> !allowed.contains(key))
			.forEach((key) -> problems.add(where + ": unknown field '" + key + "'"));
	}

	private static String describe(JsonObject json) {
		String kind = json.has("kind") ? json.get("kind").getAsString() : "?";
		JsonObject metadata = json.getAsJsonObject("metadata");
		String name = (metadata != null && metadata.has("name")) ? metadata.get("name").getAsString() : "?";
		return kind + "/" + name;
	}

}

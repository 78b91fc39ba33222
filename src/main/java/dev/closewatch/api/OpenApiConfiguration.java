package dev.closewatch.api;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.Availability;
import dev.closewatch.history.CloseEventSummary;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Completes the OpenAPI document that springdoc derives from the controllers
 * ({@code /v3/api-docs}): what the text-typed query parameters accept, the RFC 9457
 * problem responses, the Server-Sent Events format of the stream, and which response
 * fields are always present or may be {@code null}. The contract in prose is
 * {@code docs/api.md}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final String PROBLEM = "Problem";

	private static final String PROBLEM_JSON = "application/problem+json";

	@Bean
	OpenApiCustomizer closewatchOpenApiCustomizer() {
		return (openApi) -> {
			openApi.info(new Info().title("closewatch API")
				.version("v1")
				.description("Read-only view of the monitored upstream WebSockets and of every close "
						+ "recorded as a browser's CloseEvent would report it."));
			Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
			openApi.components(components);
			components.addSchemas(PROBLEM, problemSchema());
			describeRecord(components, CloseEvent.class);
			describeRecord(components, UpstreamResponse.class);
			describeRecord(components, UpstreamPage.class);
			describeRecord(components, UpstreamSummaryResponse.class);
			describeRecord(components, UpstreamSummaryResponse.Unclean.class);
			describeRecord(components, UpstreamSummaryResponse.Down.class);
			describeRecord(components, CloseEventPage.class);
			describeRecord(components, AvailabilityResponse.class);
			describeRecord(components, Availability.Sessions.class);
			describeRecord(components, Availability.Outage.class);
			describeRecord(components, CloseEventSummaryResponse.class);
			describeRecord(components, CloseEventSummary.Group.class);
			if (components.getSchemas() != null) {
				components.getSchemas().remove("SseEmitter");
			}
			openApi.getPaths().forEach((path, item) -> describe(path, item));
		};
	}

	private static void describe(String path, PathItem item) {
		Operation operation = item.getGet();
		if (operation == null) {
			return;
		}
		operation.setTags(List.of(path.startsWith("/api/v1/upstreams") ? "upstreams" : "close-events"));
		ApiResponses responses = operation.getResponses();
		List<Parameter> parameters = (operation.getParameters() != null) ? operation.getParameters() : List.of();
		boolean statistics = path.endsWith("/availability") || path.endsWith("/summary");
		parameters.forEach((parameter) -> {
			if (!statistics || !describeWindow(parameter)) {
				describe(parameter);
			}
		});
		if (parameters.stream().anyMatch((parameter) -> !"path".equals(parameter.getIn()))) {
			responses.addApiResponse("400", problem("A parameter is malformed or out of range (type "
					+ InvalidParameterException.TYPE + "); 'parameter' names it"));
		}
		if (path.contains("{name}") || parameters.stream().anyMatch((p) -> p.getName().equals("upstream"))) {
			responses.addApiResponse("404",
					problem("No upstream has this name (type " + UnknownUpstreamException.TYPE + ")"));
		}
		if (path.endsWith("/stream")) {
			operation.summary("Live close events as Server-Sent Events")
				.description("One event per close: 'id' is the event id, 'event' is 'close' and 'data' the "
						+ "close event JSON exactly as in /api/v1/close-events. A client reconnecting with "
						+ "Last-Event-ID first gets the recorded events after that id, oldest first. "
						+ "Comment lines (':heartbeat') keep an idle stream open. A client that falls "
						+ "closewatch.stream.buffer events behind is disconnected.");
			ApiResponse ok = responses.get("200");
			ok.description("An endless text/event-stream")
				.content(new Content().addMediaType("text/event-stream", new MediaType().schema(typed("string")
					.example("id: 1764064810000001\nevent: close\ndata: {\"id\":1764064810000001,...}\n\n"))));
		}
	}

	private static void describe(Parameter parameter) {
		switch (parameter.getName()) {
			case "name" -> parameter.description("The upstream's configured name");
			case "upstream" -> parameter.description("Only events of this configured upstream");
			case "code" -> parameter.description("Only events with this browser-view close code")
				.schema(typed("integer").minimum(BigDecimal.ZERO).maximum(BigDecimal.valueOf(65535)));
			case "wasClean" ->
				parameter.description("Only clean (true) or unclean (false) closes").schema(typed("boolean"));
			case "since" -> parameter.description("Only events closed at or after this ISO-8601 instant")
				.schema(typed("string").format("date-time"));
			case "until" -> parameter.description("Only events closed before this ISO-8601 instant")
				.schema(typed("string").format("date-time"));
			case "limit" -> parameter.description("Page size")
				.schema(typed("integer").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(1000))._default(100));
			case "cursor" -> parameter.description("The 'next' value of the previous page");
			case "state" ->
				parameter.description("Only upstreams in these states (repeated or comma-separated, any case)");
			case "label" -> parameter.description("Only upstreams carrying this label, name=value (repeatable)");
			case "q" -> parameter.description("Only upstreams whose name contains this, ignoring case")
				.schema(typed("string").minLength(1).maxLength(200));
			case "flapping" -> parameter
				.description("Only upstreams that closed at least 3 times in the last 10 minutes (true), or not")
				.schema(typed("boolean"));
			case "sort" -> parameter.description("By name, or the ones needing attention first")
				.schema(typed("string")._enum(List.of("name", "attention"))._default("name"));
			case "top" -> parameter.description("How many upstreams the lists of the worst give")
				.schema(typed("integer").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(100))._default(10));
			case CloseEventStreamController.LAST_EVENT_ID ->
				parameter.description("Resume after this event id (sent by EventSource on reconnect)")
					.schema(typed("integer").format("int64").minimum(BigDecimal.ZERO));
			default -> {
			}
		}
	}

	// the statistics endpoints take a window and summarize it rather than filter a list
	private static boolean describeWindow(Parameter parameter) {
		switch (parameter.getName()) {
			case "since" -> parameter
				.description("Start of the window (ISO-8601 instant, inclusive); default 24 hours before until")
				.schema(typed("string").format("date-time"));
			case "until" -> parameter
				.description("End of the window (ISO-8601 instant, exclusive), after since and at most "
						+ TimeWindow.MAX_LENGTH.toDays() + " days after it; default now")
				.schema(typed("string").format("date-time"));
			case "by" -> parameter.description("What the closes are grouped by")
				.schema(typed("string")._enum(List.of("upstream", "code", "error"))._default("upstream"));
			case "limit" -> parameter.description("The most groups to return")
				.schema(typed("integer").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(1000))._default(10));
			default -> {
				return false;
			}
		}
		return true;
	}

	// OpenAPI 3.1 schemas carry a set of types
	private static Schema<Object> typed(String type) {
		Schema<Object> schema = new Schema<>();
		schema.addType(type);
		return schema;
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON,
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
	}

	private static Schema<?> problemSchema() {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("type", typed("string").format("uri").description("Stable per problem kind"));
		properties.put("title", typed("string"));
		properties.put("status", typed("integer"));
		properties.put("detail", typed("string"));
		properties.put("instance", typed("string").description("The request path"));
		properties.put("parameter", typed("string").description("The offending parameter"));
		return typed("object").description("RFC 9457 problem details")
			.properties(properties)
			.required(List.of("type", "title", "status"));
	}

	// every record component is always serialized; @Nullable ones may be null
	private static void describeRecord(Components components, Class<? extends Record> type) {
		Schema<?> schema = (components.getSchemas() != null) ? components.getSchemas().get(type.getSimpleName()) : null;
		if (schema == null || schema.getProperties() == null) {
			return;
		}
		List<String> required = new ArrayList<>();
		for (RecordComponent component : type.getRecordComponents()) {
			required.add(component.getName());
			Schema<?> property = schema.getProperties().get(component.getName());
			if (property != null && component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
				schema.getProperties().put(component.getName(), nullable(property));
			}
		}
		schema.required(required);
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema nullable(Schema property) {
		if (property.get$ref() != null) {
			return new Schema<>().anyOf(List.of(property, typed("null")));
		}
		if (property.getTypes() != null) {
			property.addType("null");
		}
		else if (property.getType() != null) {
			property.addType(property.getType());
			property.addType("null");
		}
		return property;
	}

}

package io.orchestra.gateway.cache;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.Translation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Converts between a completion and its stream of chunks, so either form can be served from one cache entry. */
public final class StreamReplay {
    private StreamReplay() {}

    /** The chunks a stream of this completion would have had. */
    public static List<String> chunks(JsonNode completion, boolean includeUsage) {
        List<String> out = new ArrayList<>();
        String id = completion.path("id").asString("chatcmpl-cache");
        long created = completion.path("created").asLong(System.currentTimeMillis() / 1000);
        String model = completion.path("model").asString("");
        for (JsonNode choice : completion.path("choices")) {
            int index = choice.path("index").asInt(0);
            JsonNode message = choice.path("message");
            ObjectNode first = Translation.chunk(id, created, model);
            ObjectNode delta =
                    (ObjectNode) Translation.deltaChoice(first, index).get("delta");
            delta.put("role", "assistant");
            delta.put(
                    "content",
                    message.path("content").isString() ? message.path("content").asString() : "");
            out.add(Json.write(first));
            if (message.path("tool_calls").isArray()
                    && !message.path("tool_calls").isEmpty()) {
                ObjectNode calls = Translation.chunk(id, created, model);
                ArrayNode toolCalls =
                        ((ObjectNode) Translation.deltaChoice(calls, index).get("delta")).putArray("tool_calls");
                int i = 0;
                for (JsonNode call : message.path("tool_calls")) {
                    ObjectNode c = (ObjectNode) call.deepCopy();
                    c.put("index", i++);
                    toolCalls.add(c);
                }
                out.add(Json.write(calls));
            }
            ObjectNode last = Translation.chunk(id, created, model);
            Translation.deltaChoice(last, index).set("finish_reason", choice.path("finish_reason"));
            out.add(Json.write(last));
        }
        if (includeUsage && completion.has("usage")) {
            ObjectNode usage = Translation.chunk(id, created, model);
            usage.set("usage", completion.get("usage"));
            out.add(Json.write(usage));
        }
        return out;
    }

    /** Rebuilds a completion from streamed chunks (content and tool-call arguments concatenated). */
    public static final class Accumulator {
        private String id;
        private long created;
        private String model;
        private JsonNode usage;
        private final Map<Integer, StringBuilder> content = new TreeMap<>();
        private final Map<Integer, String> finish = new TreeMap<>();
        private final Map<Integer, TreeMap<Integer, ObjectNode>> toolCalls = new TreeMap<>();

        public void add(String chunkJson) {
            JsonNode chunk = Json.tree(chunkJson);
            id = chunk.path("id").asString(id);
            created = chunk.path("created").asLong(created);
            model = chunk.path("model").asString(model);
            if (chunk.has("usage") && chunk.get("usage").isObject()) {
                usage = chunk.get("usage");
            }
            for (JsonNode choice : chunk.path("choices")) {
                int index = choice.path("index").asInt(0);
                JsonNode delta = choice.path("delta");
                if (delta.path("content").isString()) {
                    content.computeIfAbsent(index, k -> new StringBuilder())
                            .append(delta.path("content").asString());
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    TreeMap<Integer, ObjectNode> calls = toolCalls.computeIfAbsent(index, k -> new TreeMap<>());
                    ObjectNode existing =
                            calls.computeIfAbsent(call.path("index").asInt(0), k -> {
                                ObjectNode c = Json.object();
                                c.put("type", "function");
                                c.putObject("function").put("name", "").put("arguments", "");
                                return c;
                            });
                    if (call.has("id")) {
                        existing.put("id", call.path("id").asString());
                    }
                    ObjectNode function = (ObjectNode) existing.get("function");
                    if (call.path("function").has("name")) {
                        function.put(
                                "name",
                                function.path("name").asString()
                                        + call.path("function").path("name").asString());
                    }
                    if (call.path("function").has("arguments")) {
                        function.put(
                                "arguments",
                                function.path("arguments").asString()
                                        + call.path("function")
                                                .path("arguments")
                                                .asString());
                    }
                }
                if (choice.path("finish_reason").isString()) {
                    finish.put(index, choice.path("finish_reason").asString());
                }
            }
        }

        public ObjectNode completion() {
            ObjectNode out = Json.object();
            out.put("id", id);
            out.put("object", "chat.completion");
            out.put("created", created);
            out.put("model", model);
            ArrayNode choices = out.putArray("choices");
            java.util.Set<Integer> indexes = new java.util.TreeSet<>(content.keySet());
            indexes.addAll(toolCalls.keySet());
            indexes.addAll(finish.keySet());
            for (int index : indexes) {
                ObjectNode choice = choices.addObject();
                choice.put("index", index);
                ObjectNode message = choice.putObject("message");
                message.put("role", "assistant");
                message.put(
                        "content",
                        content.containsKey(index) ? content.get(index).toString() : null);
                if (toolCalls.containsKey(index)) {
                    ArrayNode calls = message.putArray("tool_calls");
                    toolCalls.get(index).values().forEach(calls::add);
                }
                choice.putNull("logprobs");
                choice.put("finish_reason", finish.get(index));
            }
            if (usage != null) {
                out.set("usage", usage);
            }
            return out;
        }
    }
}

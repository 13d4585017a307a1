package io.orchestra.gateway.providers.anthropic;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.Translation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI chat request → Anthropic Messages request. */
final class AnthropicRequests {
    private AnthropicRequests() {}

    static ObjectNode toMessages(ObjectNode request, String model) {
        ObjectNode body = Json.object();
        body.put("model", model);
        int maxTokens = request.path("max_completion_tokens")
                .asInt(request.path("max_tokens").asInt(AnthropicProvider.DEFAULT_MAX_TOKENS));
        body.put("max_tokens", maxTokens);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = body.putArray("messages");
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asString("");
            switch (role) {
                case "system", "developer" -> {
                    if (!system.isEmpty()) {
                        system.append("\n\n");
                    }
                    system.append(Translation.text(message.get("content")));
                }
                case "user" -> append(messages, "user", userContent(message.get("content")));
                case "assistant" -> append(messages, "assistant", assistantContent(message));
                case "tool" -> {
                    ObjectNode result = Json.object();
                    result.put("type", "tool_result");
                    result.put("tool_use_id", message.path("tool_call_id").asString(""));
                    result.put("content", Translation.text(message.get("content")));
                    ArrayNode content = Json.mapper().createArrayNode();
                    content.add(result);
                    append(messages, "user", content);
                }
                default -> {
                    // unknown roles are rejected by validation before translation
                }
            }
        }
        JsonNode format = request.path("response_format");
        String formatType = format.path("type").asString("");
        if (formatType.equals("json_object") || formatType.equals("json_schema")) {
            // Anthropic has no response_format: ask for JSON in the system prompt, with the schema when given.
            system.append(system.isEmpty() ? "" : "\n\n").append("Answer with a single JSON object and nothing else.");
            if (formatType.equals("json_schema")) {
                system.append(" It must match this JSON schema: ")
                        .append(Json.write(format.path("json_schema").path("schema")));
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        copyNumber(request, body, "temperature", "temperature");
        copyNumber(request, body, "top_p", "top_p");
        ArrayNode stops = Translation.stops(request.get("stop"));
        if (!stops.isEmpty()) {
            body.set("stop_sequences", stops);
        }
        if (request.path("user").isString()) {
            body.putObject("metadata").put("user_id", request.path("user").asString());
        }
        JsonNode tools = request.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            ArrayNode out = body.putArray("tools");
            for (JsonNode tool : tools) {
                JsonNode function = tool.path("function");
                ObjectNode t = out.addObject();
                t.put("name", function.path("name").asString(""));
                if (function.has("description")) {
                    t.put("description", function.path("description").asString(""));
                }
                t.set(
                        "input_schema",
                        function.has("parameters")
                                ? function.get("parameters")
                                : Json.object().put("type", "object"));
            }
            ObjectNode choice = toolChoice(request.get("tool_choice"));
            if (choice != null) {
                if (request.path("parallel_tool_calls").isBoolean()
                        && !request.path("parallel_tool_calls").asBoolean()
                        && !choice.path("type").asString().equals("none")) {
                    choice.put("disable_parallel_tool_use", true);
                }
                body.set("tool_choice", choice);
            } else if (request.path("parallel_tool_calls").isBoolean()
                    && !request.path("parallel_tool_calls").asBoolean()) {
                body.putObject("tool_choice").put("type", "auto").put("disable_parallel_tool_use", true);
            }
        }
        return body;
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        ObjectNode out = Json.object();
        if (choice.isString()) {
            switch (choice.asString()) {
                case "required" -> out.put("type", "any");
                case "none" -> out.put("type", "none");
                default -> out.put("type", "auto");
            }
            return out;
        }
        out.put("type", "tool");
        out.put("name", choice.path("function").path("name").asString(""));
        return out;
    }

    /** Anthropic needs alternating roles: consecutive messages of one role are merged into one. */
    private static void append(ArrayNode messages, String role, ArrayNode content) {
        if (!messages.isEmpty()) {
            ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
            if (last.path("role").asString().equals(role)) {
                ((ArrayNode) last.get("content")).addAll(content);
                return;
            }
        }
        ObjectNode message = messages.addObject();
        message.put("role", role);
        message.set("content", content);
    }

    private static ArrayNode userContent(JsonNode content) {
        ArrayNode out = Json.mapper().createArrayNode();
        if (content == null || content.isNull()) {
            return out;
        }
        if (content.isString()) {
            out.addObject().put("type", "text").put("text", content.asString());
            return out;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asString("")) {
                case "text" ->
                    out.addObject()
                            .put("type", "text")
                            .put("text", part.path("text").asString(""));
                case "image_url" ->
                    out.add(image(part.path("image_url").path("url").asString("")));
                default -> {
                    // audio and file parts have no Anthropic equivalent here
                }
            }
        }
        return out;
    }

    static ObjectNode image(String url) {
        ObjectNode image = Json.object();
        image.put("type", "image");
        ObjectNode source = image.putObject("source");
        if (url.startsWith("data:")) {
            Translation.DataUrl inline = Translation.dataUrl(url);
            source.put("type", "base64");
            source.put("media_type", inline.mediaType());
            source.put("data", inline.data());
        } else {
            source.put("type", "url");
            source.put("url", url);
        }
        return image;
    }

    private static ArrayNode assistantContent(JsonNode message) {
        ArrayNode out = Json.mapper().createArrayNode();
        String text = Translation.text(message.get("content"));
        if (!text.isEmpty()) {
            out.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = out.addObject();
            use.put("type", "tool_use");
            use.put("id", call.path("id").asString(""));
            use.put("name", call.path("function").path("name").asString(""));
            use.set(
                    "input",
                    Translation.parseObject(
                            call.path("function").path("arguments").asString("{}")));
        }
        return out;
    }

    private static void copyNumber(JsonNode from, ObjectNode to, String source, String target) {
        JsonNode value = from.get(source);
        if (value != null && value.isNumber()) {
            to.set(target, value);
        }
    }
}

package io.orchestra.gateway.providers.openai;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.BaseStreamTranslator;
import io.orchestra.gateway.providers.UpstreamStreamError;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Passes OpenAI chunks through byte for byte. Each chunk is read with Jackson's streaming parser,
 * never by searching its text, so any whitespace, key order or escaping gives the same usage,
 * content detection and end detection; only {@code usage} and {@code error} values become trees.
 */
final class OpenAiStreamTranslator extends BaseStreamTranslator {
    // Choice indexes seen and finished (bit i for choice i; n above 64 is not something OpenAI serves).
    private long choicesSeen;
    private long choicesFinished;

    @Override
    public List<String> onEvent(String event, String data) {
        if (data.equals("[DONE]") || data.strip().equals("[DONE]")) {
            finished = true;
            return List.of();
        }
        if ("error".equals(event)) {
            throw error(Json.tree(data).path("error"));
        }
        boolean usageSeen = false;
        int choices = 0;
        try (JsonParser parser = Json.mapper().createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return List.of(data);
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "error" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            throw error(parser.readValueAsTree());
                        }
                    }
                    case "usage" -> {
                        if (value == JsonToken.START_OBJECT) {
                            usage = OpenAiProvider.usageOf(parser.readValueAsTree());
                            usageSeen = true;
                        }
                    }
                    case "id" -> id = value == JsonToken.VALUE_STRING ? parser.getString() : id;
                    case "model" -> model = value == JsonToken.VALUE_STRING ? parser.getString() : model;
                    case "created" -> created = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : created;
                    case "choices" -> choices = value == JsonToken.START_ARRAY ? choices(parser) : 0;
                    default -> parser.skipChildren();
                }
            }
        }
        if (usageSeen && choices == 0) {
            // The gateway always asks for usage and adds the usage chunk itself for clients that asked.
            return List.of();
        }
        return List.of(data);
    }

    /** Reads a {@code choices} array; returns how many choices it had. */
    private int choices(JsonParser parser) {
        int count = 0;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            count++;
            int index = 0;
            boolean finish = false;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
                    case "finish_reason" -> finish = value == JsonToken.VALUE_STRING;
                    case "delta" -> {
                        if (value == JsonToken.START_OBJECT) {
                            delta(parser);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            long bit = 1L << Math.min(Math.max(index, 0), 63);
            choicesSeen |= bit;
            if (finish) {
                choicesFinished |= bit;
            }
        }
        return count;
    }

    /** A delta carries content once it has non-empty text or a tool call. */
    private void delta(JsonParser parser) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("content") && value == JsonToken.VALUE_STRING) {
                sentContent |= parser.getStringLength() > 0;
            } else if (name.equals("tool_calls") && value == JsonToken.START_ARRAY) {
                sentContent |= parser.nextToken() != JsonToken.END_ARRAY;
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    parser.skipChildren();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    /** [DONE] is the end; a clean close after every choice's finish_reason still loses nothing of the answer. */
    @Override
    public boolean complete() {
        return finished || (choicesSeen != 0 && (choicesFinished & choicesSeen) == choicesSeen);
    }

    private static UpstreamStreamError error(JsonNode error) {
        int status = error.path("code").isInt() ? error.path("code").asInt() : 500;
        return new UpstreamStreamError(status, error.path("message").asString("error inside the stream"));
    }
}

package io.orchestra.gateway.providers;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider's answers are untrusted input: this wraps a translation so reading them fails only with
 * the gateway's typed errors ({@link MalformedAnswer}, {@link UpstreamStreamError}), never with
 * whatever a translation happened to throw on a shape it did not expect (the fuzz harness found
 * several). The request side passes through unchanged: its errors are the caller's 400s.
 */
final class GuardedProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedProvider.class);

    private final Provider delegate;

    GuardedProvider(Provider delegate) {
        this.delegate = delegate;
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public StreamFormat streamFormat() {
        return delegate.streamFormat();
    }

    @Override
    public UpstreamRequest chatRequest(ProviderSettings settings, String model, ObjectNode request, boolean stream) {
        return delegate.chatRequest(settings, model, request, stream);
    }

    @Override
    public ObjectNode chatResponse(JsonNode upstream, String model) {
        try {
            return delegate.chatResponse(upstream, model);
        } catch (RuntimeException e) {
            throw malformed("answer", e);
        }
    }

    @Override
    public TokenUsage usage(JsonNode upstream) {
        try {
            return delegate.usage(upstream);
        } catch (RuntimeException e) {
            throw malformed("usage", e);
        }
    }

    @Override
    public Map<String, String> headers(ProviderSettings settings) {
        return delegate.headers(settings);
    }

    @Override
    public boolean embeds() {
        return delegate.embeds();
    }

    @Override
    public StreamTranslator streamTranslator(String model) {
        return new Guarded(delegate.streamTranslator(model), kind());
    }

    @Override
    public UpstreamRequest embeddingsRequest(ProviderSettings settings, String model, JsonNode input) {
        return delegate.embeddingsRequest(settings, model, input);
    }

    @Override
    public float[][] embeddings(JsonNode upstream) {
        float[][] vectors;
        try {
            vectors = delegate.embeddings(upstream);
        } catch (RuntimeException e) {
            throw malformed("embeddings", e);
        }
        for (float[] vector : vectors) {
            if (vector == null) {
                throw malformed("embeddings", new IllegalStateException("a vector is missing"));
            }
        }
        return vectors;
    }

    @Override
    public int embeddingTokens(JsonNode upstream) {
        try {
            return delegate.embeddingTokens(upstream);
        } catch (RuntimeException e) {
            throw malformed("embeddings usage", e);
        }
    }

    @Override
    public String errorMessage(int status, String body) {
        try {
            return delegate.errorMessage(status, body);
        } catch (RuntimeException e) {
            return "upstream returned HTTP " + status;
        }
    }

    private MalformedAnswer malformed(String part, RuntimeException e) {
        // The cause stays in the log (one line, no trace); the caller hears only what went wrong.
        LOG.warn("{} provider: cannot read its {}: {}", kind(), part, e.toString());
        return new MalformedAnswer("the " + kind() + " provider's " + part + " has an unexpected shape");
    }

    /** The stream side: an event it cannot translate ends the stream as a provider error. */
    private record Guarded(StreamTranslator delegate, String kind) implements StreamTranslator {
        @Override
        public List<String> onEvent(String event, String data) {
            try {
                return delegate.onEvent(event, data);
            } catch (UpstreamStreamError | JacksonException e) {
                throw e; // the provider's own error, and an unparsable event the gateway skips
            } catch (RuntimeException e) {
                LOG.warn("{} provider: cannot read a stream event: {}", kind, e.toString());
                throw new UpstreamStreamError(
                        502, "the " + kind + " provider's stream has an event of an unexpected shape");
            }
        }

        @Override
        public boolean finished() {
            return delegate.finished();
        }

        @Override
        public boolean complete() {
            return delegate.complete();
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public long created() {
            return delegate.created();
        }

        @Override
        public String model() {
            return delegate.model();
        }

        @Override
        public TokenUsage usage() {
            return delegate.usage();
        }

        @Override
        public boolean sentContent() {
            return delegate.sentContent();
        }
    }
}

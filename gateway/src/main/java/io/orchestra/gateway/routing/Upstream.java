package io.orchestra.gateway.routing;

import io.orchestra.gateway.providers.Provider;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.UpstreamRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Sends translated requests with Jetty's pooled client, each with its provider's
 * {@link Provider#headers} (chat, streams and embeddings alike); turns every failure into an
 * {@link UpstreamFailure}.
 */
public final class Upstream {
    /** A complete answer. */
    public record Reply(int status, String retryAfter, byte[] body) {}

    /** An answer whose body is still arriving. */
    public record Streaming(Response response, InputStream body) implements AutoCloseable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // the exchange is over either way
            }
        }
    }

    private final HttpClient client;

    public Upstream(HttpClient client) {
        this.client = client;
    }

    /** A provider URL parsed once, with its Host header: Jetty otherwise rebuilds the URI of every request to derive it. */
    private record Destination(java.net.URI uri, String host) {}

    private final java.util.concurrent.ConcurrentHashMap<String, Destination> destinations =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Request request(Provider provider, ProviderSettings settings, UpstreamRequest upstream) {
        Destination destination = destinations.get(upstream.url());
        if (destination == null) {
            java.net.URI uri = java.net.URI.create(upstream.url());
            destination = new Destination(uri, uri.getRawAuthority());
            if (destinations.size() < 1_000) {
                destinations.put(upstream.url(), destination);
            }
        }
        String host = destination.host();
        Request request = client.newRequest(destination.uri())
                .method(HttpMethod.POST)
                .body(new BytesRequestContent("application/json", upstream.body()));
        Map<String, String> headers = provider.headers(settings);
        request.headers(h -> {
            h.put(org.eclipse.jetty.http.HttpHeader.HOST, host);
            headers.forEach(h::put);
        });
        return request;
    }

    /** A whole response within {@code timeoutMillis}; non-2xx statuses come back as replies, not failures. */
    public Reply send(Provider provider, ProviderSettings settings, UpstreamRequest upstream, long timeoutMillis)
            throws UpstreamFailure {
        try {
            ContentResponse response = request(provider, settings, upstream)
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .send();
            return new Reply(response.getStatus(), response.getHeaders().get("Retry-After"), response.getContent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0, "interrupted", null);
        } catch (TimeoutException e) {
            throw new UpstreamFailure(
                    UpstreamFailure.Kind.TIMEOUT, 0, "timed out after " + timeoutMillis + " ms", null);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    /** Waits at most {@code firstByteMillis} for the response head; then each read may idle up to {@code idleMillis}. */
    public Streaming open(
            Provider provider,
            ProviderSettings settings,
            UpstreamRequest upstream,
            long firstByteMillis,
            long idleMillis)
            throws UpstreamFailure {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        Request request = request(provider, settings, upstream).idleTimeout(idleMillis, TimeUnit.MILLISECONDS);
        request.send(listener);
        try {
            Response response = listener.get(firstByteMillis, TimeUnit.MILLISECONDS);
            return new Streaming(response, listener.getInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0, "interrupted", null);
        } catch (TimeoutException e) {
            request.abort(e);
            throw new UpstreamFailure(
                    UpstreamFailure.Kind.TIMEOUT, 0, "no response within " + firstByteMillis + " ms", null);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    static UpstreamFailure failure(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException
                || root instanceof UnresolvedAddressException
                || root instanceof UnknownHostException) {
            return new UpstreamFailure(UpstreamFailure.Kind.CONNECT, 0, "cannot connect", null);
        }
        if (cause instanceof org.eclipse.jetty.client.HttpResponseException rejected) {
            return new UpstreamFailure(
                    UpstreamFailure.Kind.STATUS,
                    rejected.getResponse().getStatus(),
                    "upstream returned HTTP " + rejected.getResponse().getStatus(),
                    null);
        }
        if (root instanceof TimeoutException) {
            return new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0, "timed out", null);
        }
        return new UpstreamFailure(
                UpstreamFailure.Kind.CONNECT,
                0,
                "connection failed (" + root.getClass().getSimpleName() + ")",
                null);
    }
}

package io.orchestra.server;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The one outbound HTTP client (pooled, HTTP/1.1 and HTTP/2) for providers, search and MCP servers. */
public final class OutboundHttp {
    private OutboundHttp() {}

    public static HttpClient start() {
        HttpClient client = new HttpClient();
        // Platform threads for the client's I/O callbacks: handing each response to a new virtual thread costs latency.
        QueuedThreadPool threads = new QueuedThreadPool(32, 4, 60_000);
        threads.setName("orchestra-http-client");
        client.setExecutor(threads);
        client.setConnectTimeout(5_000);
        client.setFollowRedirects(false);
        // Callers share this client: a provider's cookie must not travel on another caller's request.
        // (The cookie lookup also rebuilt each request's URI, which showed in the gateway profile.)
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(512);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Orchestra/" + Version.current()));
        try {
            client.start();
        } catch (Exception e) {
            stop(client);
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
        // A 401 from a provider is an answer to pass on, not a challenge to answer (handlers are added on start).
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        return client;
    }

    public static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client did not stop cleanly", e);
        }
    }
}

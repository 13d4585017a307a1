package io.orchestra.agents.search;

import io.orchestra.core.json.Json;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Sends one provider request and reads its JSON answer, mapping every failure to a {@link SearchException}. */
final class SearchHttp {
    private final HttpClient client;
    private final long timeoutMillis;

    SearchHttp(HttpClient client, long timeoutMillis) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
    }

    Request newRequest(String url) {
        return client.newRequest(url)
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .headers(h -> h.put("Accept", "application/json"));
    }

    JsonNode send(String provider, Request request) {
        ContentResponse response;
        try {
            response = request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchException(provider + ": interrupted");
        } catch (Exception e) {
            // Jetty reports a 401 without a WWW-Authenticate challenge as an exception; it is still a status.
            if (rootCause(e) instanceof org.eclipse.jetty.client.HttpResponseException rejected) {
                throw statusError(provider, rejected.getResponse().getStatus());
            }
            throw new SearchException(provider + ": " + describe(e));
        }
        if (response.getStatus() >= 400) {
            throw statusError(provider, response.getStatus());
        }
        try {
            return Json.mapper().readTree(response.getContentAsString());
        } catch (JacksonException e) {
            throw new SearchException(provider + ": answered with something that is not JSON");
        }
    }

    private static SearchException statusError(String provider, int status) {
        if (status == 401 || status == 403) {
            return new SearchException(provider + ": the API key was rejected (HTTP " + status + ")");
        }
        if (status == 429) {
            return new SearchException(provider + ": rate limited (HTTP 429)");
        }
        return new SearchException(provider + ": HTTP " + status);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Exception e) {
        Throwable root = rootCause(e);
        if (root instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        if (root instanceof java.net.ConnectException) {
            return "cannot connect";
        }
        return root.getClass().getSimpleName();
    }

    /** The first {@code max} hits as results, reading each hit's title, URL and snippet fields. */
    static java.util.List<SearchResult> results(
            String provider, JsonNode hits, int max, String title, String url, String snippet) {
        java.util.List<SearchResult> results = new java.util.ArrayList<>();
        for (JsonNode hit : hits) {
            if (results.size() == max) {
                break;
            }
            results.add(new SearchResult(
                    hit.path(title).asString(""),
                    hit.path(url).asString(""),
                    plain(hit.path(snippet).asString("")),
                    provider,
                    results.size() + 1));
        }
        return results;
    }

    /** Drops HTML tags and decodes the few entities search snippets use. */
    static String plain(String html) {
        if (html == null) {
            return "";
        }
        String text = html.replaceAll("<[^>]+>", "");
        text = java.util.regex.Pattern.compile("&#(x?)([0-9a-fA-F]+);")
                .matcher(text)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(Character.toString(
                        Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16))));
        return text.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&nbsp;", " ")
                .replace("&amp;", "&")
                .strip();
    }
}

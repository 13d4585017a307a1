package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DocumentRoutesTest {
    static final int UPLOAD_LIMIT = 256 * 1024;
    static TestServer server;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.http.max-upload-bytes", Integer.toString(UPLOAD_LIMIT)));
        alice = key("alice");
        bob = key("bob");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String key(String owner) {
        return Json.tree(server.post(
                                "/api/keys",
                                TestServer.ADMIN_KEY,
                                "{\"name\":\"" + owner + "\",\"role\":\"member\",\"owner\":\"" + owner + "\"}")
                        .body())
                .get("secret")
                .asString();
    }

    static byte[] pdf(String... lines) throws Exception {
        try (PDDocument doc = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                for (String line : lines) {
                    content.showText(line);
                    content.newLineAtOffset(0, -16);
                }
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    static HttpResponse<String> upload(String key, String filename, byte[] bytes, String personaId) {
        String boundary = "----orchestra" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        if (personaId != null) {
            body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"persona_id\"\r\n\r\n"
                            + personaId)
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        // Expect: 100-continue, as curl sends for large bodies: an oversized upload is refused on its
        // Content-Length before it is sent (without it, the server's close can reset the connection
        // before the client has read the 413).
        return server.send(server.request("/api/documents", key)
                .expectContinue(true)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    static JsonNode awaitStatus(String id, String key, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode doc;
        do {
            doc = Json.tree(server.get("/api/documents/" + id, key).body());
            if (doc.get("status").asString().equals(status)) {
                return doc;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return doc;
    }

    @Test
    void uploadedPdfIsIngestedIntoChunksAndDeduplicated() throws Exception {
        byte[] bytes = pdf("Clinical trial ORC-7 recruits 120 patients.", "Phase II measures efficacy.");
        HttpResponse<String> created = upload(alice, "trial.pdf", bytes, "karen");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode doc = Json.tree(created.body());
        String id = doc.get("id").asString();
        assertThat(doc.get("persona_id").asString()).isEqualTo("karen");

        JsonNode ready = awaitStatus(id, alice, "ready");
        assertThat(ready.get("status").asString()).as(ready.toString()).isEqualTo("ready");
        assertThat(ready.get("media_type").asString()).isEqualTo("application/pdf");
        assertThat(ready.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(ready.get("chunks").asInt()).isPositive();
        assertThat(server.get("/api/documents/" + id + "/chunks", alice).body())
                .contains("Clinical trial ORC-7 recruits 120 patients.");

        HttpResponse<String> again = upload(alice, "copy.pdf", bytes, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.tree(again.body()).get("id").asString()).isEqualTo(id);
        assertThat(Json.tree(again.body()).get("duplicate").asBoolean()).isTrue();

        assertThat(server.get("/api/documents/" + id, bob).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/documents/" + id + "/chunks", bob).statusCode())
                .isEqualTo(404);
        assertThat(server.get("/api/documents", bob).body()).doesNotContain(id);
        assertThat(server.delete("/api/documents/" + id, bob).statusCode()).isEqualTo(404);
        assertThat(Files.list(server.dataDir().resolve("documents")).count()).isGreaterThanOrEqualTo(1);

        assertThat(server.delete("/api/documents/" + id, alice).statusCode()).isEqualTo(204);
        assertThat(server.get("/api/documents/" + id, alice).statusCode()).isEqualTo(404);
        assertThat(Files.exists(server.dataDir().resolve("documents").resolve(id)))
                .isFalse();
    }

    @Test
    void unreadableDocumentFailsWithAReasonAndCanBeRetried() throws Exception {
        HttpResponse<String> created = upload(alice, "broken.pdf", "%PDF-1.7 not really a pdf".getBytes(), null);
        String id = Json.tree(created.body()).get("id").asString();
        JsonNode failed = awaitStatus(id, alice, "failed");
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("error").asString()).isNotBlank();
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);

        HttpResponse<String> retried = server.post("/api/documents/" + id + "/retry", alice, "");
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(awaitStatus(id, alice, "failed").get("status").asString()).isEqualTo("failed");
        assertThat(server.post("/api/documents/" + id + "/retry", bob, "").statusCode())
                .isEqualTo(404);
    }

    @Test
    void searchFindsTheRightPassageWithCitations() throws Exception {
        String payments = upload(
                        alice,
                        "payments.md",
                        ("# Card payments\n\nInterchange fees are paid by the acquiring bank to the card-issuing bank "
                                        + "for each card transaction. They are usually a percentage of the transaction plus a fixed amount.\n")
                                .getBytes(),
                        null)
                .body();
        String trials = upload(
                        alice,
                        "trials.txt",
                        ("Clinical trials run in phases. Phase I tests safety in a small group; "
                                        + "Phase III confirms efficacy in large populations before regulatory approval.\n")
                                .getBytes(),
                        null)
                .body();
        awaitStatus(Json.tree(payments).get("id").asString(), alice, "ready");
        awaitStatus(Json.tree(trials).get("id").asString(), alice, "ready");
        JsonNode found = Json.tree(
                server.get("/api/documents/search?q=what%20do%20banks%20charge%20per%20card%20transaction&k=2", alice)
                        .body());
        JsonNode first = found.path("citations").get(0);
        assertThat(first.path("filename").asString()).isEqualTo("payments.md");
        assertThat(first.path("excerpt").asString()).contains("Interchange fees");
        assertThat(first.path("chunk").asInt()).isZero();
        JsonNode other = Json.tree(server.get("/api/documents/search?q=phases%20of%20drug%20testing", alice)
                .body());
        assertThat(other.path("citations").get(0).path("filename").asString()).isEqualTo("trials.txt");
        assertThat(Json.tree(server.get("/api/documents/search?q=card%20fees", bob)
                                .body())
                        .path("citations"))
                .isEmpty();
        assertThat(server.get("/api/documents/search", alice).statusCode()).isEqualTo(400);
    }

    @Test
    void badUploadsGetClearErrors() {
        assertThat(upload(alice, "big.txt", new byte[UPLOAD_LIMIT * 2], null).statusCode())
                .isEqualTo(413);
        assertThat(upload(alice, "empty.txt", new byte[0], null).statusCode()).isEqualTo(400);
        assertThat(upload(alice, "x.txt", "hi".getBytes(), "Not A Persona").statusCode())
                .isEqualTo(400);
        HttpResponse<String> json = server.post("/api/documents", alice, "{}");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(server.get("/api/documents/doc_missing", alice).statusCode()).isEqualTo(404);
    }
}

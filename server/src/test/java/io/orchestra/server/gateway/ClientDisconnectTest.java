package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestra.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A client hanging up mid-stream is normal: one INFO line, no ERROR, no stack trace. */
class ClientDisconnectTest {
    static GatewayFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(TestServer.Storage.SQLITE, Map.of());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aClientThatHangsUpMidStreamIsOneInfoLine() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try {
            String body =
                    "{\"model\":\"endless\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
            try (Socket socket =
                    new Socket("127.0.0.1", fixture.server.orchestra().port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\n"
                                + "Content-Type: application/json\r\nContent-Length: "
                                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.contains("data: {")) {
                    // headers and chunk sizes until the first event
                }
                assertThat(line).contains("chatcmpl-endless");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (gone(lines.list).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
        } finally {
            root.detachAppender(lines);
        }
        List<ILoggingEvent> events = List.copyOf(lines.list);
        assertThat(gone(events)).hasSize(1);
        assertThat(gone(events).get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(events).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
        assertThat(events).allMatch(e -> e.getThrowableProxy() == null);
    }

    private static List<ILoggingEvent> gone(List<ILoggingEvent> events) {
        return List.copyOf(events).stream()
                .filter(e -> e.getFormattedMessage().contains("client went away"))
                .toList();
    }
}

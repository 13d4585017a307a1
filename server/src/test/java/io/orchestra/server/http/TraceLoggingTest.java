package io.orchestra.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestra.server.TestServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Request log lines carry the request id and, when the caller sends one, the trace id. */
class TraceLoggingTest {
    @Test
    void accessLinesCarryRequestAndTraceIds() {
        Logger access = (Logger) LoggerFactory.getLogger("orchestra.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try (TestServer server = TestServer.start(TestServer.Storage.SQLITE)) {
            server.send(server.request("/ready", null)
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .header("X-Request-Id", "req-trace-1")
                    .GET()
                    .build());
            server.send(server.request("/ready", null)
                    .header("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1")
                    .GET()
                    .build());
        } finally {
            access.detachAppender(lines);
        }
        assertThat(lines.list).anySatisfy(e -> {
            assertThat(e.getMDCPropertyMap())
                    .containsEntry("request_id", "req-trace-1")
                    .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        });
        assertThat(lines.list)
                .anySatisfy(e -> assertThat(e.getMDCPropertyMap())
                        .containsEntry("trace_id", "105445aa7843bc8bf206b12000100000"));
    }
}

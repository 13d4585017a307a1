package io.orchestra.server.ui;

import io.orchestra.agents.AgentsModule;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.gateway.Gateway;
import io.orchestra.memory.MemoryModule;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.ModelAccess;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.health.HealthService;
import io.orchestra.server.health.ProviderHealth;
import java.time.Clock;
import java.util.List;

/** The admin web UI (/ui): one UiPage per page, in nav order, over the services the pages show. */
public final class AdminUi {
    private AdminUi() {}

    public static UiRoutes routes(
            ApiKeyStore keys,
            ModelAccess modelAccess,
            HealthService health,
            RequestLog requestLog,
            Gateway gateway,
            MemoryModule memory,
            AgentsModule agents,
            JobQueue jobs,
            Clock clock) {
        TrafficStats traffic = new TrafficStats(clock);
        return new UiRoutes(
                keys,
                new UiSessions(clock),
                traffic,
                new UiRenderer(),
                List.of(
                        new OverviewPage(health, new ProviderHealth(gateway), traffic, requestLog, clock),
                        new PlaygroundPage(
                                agents.personas(), agents.chat(), gateway, agents.runs(), requestLog, modelAccess),
                        new PersonasPage(agents.personas(), agents.personaCheck(), gateway),
                        new RoutesPage(gateway, requestLog),
                        new RequestsPage(requestLog, keys, gateway.bodyLog().enabled(), clock),
                        new UsagePage(requestLog, keys, gateway.limits(), clock),
                        new MemoryPage(memory.memories(), memory.graph(), keys),
                        new DocumentsPage(
                                agents.documents(),
                                agents.documentStore(),
                                jobs,
                                agents.documentSearch(),
                                agents.personas(),
                                keys),
                        new RunsPage(agents.runs(), keys, clock),
                        new KeysPage(keys, clock)));
    }
}

package io.orchestra.agents;

import io.orchestra.agents.chat.MemoryExtractor;
import io.orchestra.agents.chat.PersonaChat;
import io.orchestra.agents.knowledge.Chunker;
import io.orchestra.agents.knowledge.DocumentSearch;
import io.orchestra.agents.knowledge.DocumentService;
import io.orchestra.agents.knowledge.DocumentStore;
import io.orchestra.agents.knowledge.HttpReranker;
import io.orchestra.agents.knowledge.Reranker;
import io.orchestra.agents.persona.PersonaCheck;
import io.orchestra.agents.persona.PersonaFiles;
import io.orchestra.agents.persona.PersonaRouter;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.run.RunStore;
import io.orchestra.agents.search.SearchProviders;
import io.orchestra.agents.search.WebSearch;
import io.orchestra.agents.session.ContextWindow;
import io.orchestra.agents.session.SessionStore;
import io.orchestra.agents.teams.TeamRunner;
import io.orchestra.agents.tools.McpServers;
import io.orchestra.agents.tools.Toolbox;
import io.orchestra.core.config.AgentsSettings;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.core.jobs.JobWorkers;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Closer;
import io.orchestra.gateway.Gateway;
import io.orchestra.memory.MemoryModule;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents services wired together from their settings: personas (store and files), sessions,
 * runs, documents, web search, external MCP tools, persona chat and teams. Built as one piece, as
 * {@link MemoryModule} is; what it opened (the persona file watcher, MCP clients) is closed again
 * when a later part fails, and on {@link #close()}.
 */
public final class AgentsModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentsModule.class);

    private final Closer opened = new Closer();
    private final PersonaStore personas;
    private final PersonaFiles personaFiles;
    private final SessionStore sessions;
    private final RunStore runs;
    private final WebSearch webSearch;
    private final DocumentStore documentStore;
    private final DocumentService documents;
    private final DocumentSearch documentSearch;
    private final PersonaChat chat;
    private final TeamRunner teams;
    private final PersonaCheck personaCheck;

    /** What the module is built from: its settings and the services of the modules below it. */
    public record Parts(
            Database database,
            AgentsSettings settings,
            Optional<Path> configFile,
            Path documentsDir,
            long maxUploadBytes,
            MemoryModule memory,
            Gateway gateway,
            JobQueue jobs,
            JobWorkers workers,
            HttpClient http,
            Clock clock) {}

    public AgentsModule(Parts parts) {
        AgentsSettings settings = parts.settings();
        Clock clock = parts.clock();
        // The mcp_servers section is checked before anything is opened.
        List<McpServers.Server> servers = McpServers.fromConfigFile(parts.configFile());
        try {
            this.personas = new PersonaStore(parts.database(), clock);
            this.personaFiles = opened.register(new PersonaFiles(settings.personasDir(), personas));
            LOG.info("personas loaded from files: {}", personaFiles.load());
            personaFiles.watch();
            McpServers mcpServers = opened.register(new McpServers(servers, clock));
            this.sessions = new SessionStore(parts.database(), clock);
            this.runs = new RunStore(parts.database(), clock);
            this.webSearch = new WebSearch(SearchProviders.of(settings.search(), parts.http()));

            this.documentStore = new DocumentStore(
                    parts.database(), clock, parts.memory().vectors().index(DocumentStore.CHUNKS));
            this.documents = new DocumentService(
                    documentStore,
                    parts.jobs(),
                    parts.documentsDir(),
                    parts.maxUploadBytes(),
                    new Chunker(1200, 200),
                    parts.memory().embedder(),
                    parts.workers()::wake);
            parts.workers().register(DocumentService.INGEST_JOB, documents.ingestHandler());
            AgentsSettings.Knowledge knowledge = settings.knowledge();
            this.documentSearch = new DocumentSearch(
                    documentStore,
                    parts.memory().embedder(),
                    knowledge.rerankerUrl().isPresent() ? new HttpReranker(parts.http(), knowledge) : Reranker.OFF,
                    knowledge.minSimilarity());

            AgentsSettings.Chat chatSettings = settings.chat();
            MemoryExtractor extractor = null;
            if (chatSettings.extractMemories()) {
                extractor = new MemoryExtractor(
                        parts.jobs(), parts.gateway(), parts.memory().memories(), parts.workers()::wake);
                parts.workers().register(MemoryExtractor.JOB, extractor.handler());
            }
            Toolbox toolbox = new Toolbox(parts.memory().graph(), webSearch, documentSearch, mcpServers);
            this.personaCheck =
                    new PersonaCheck(servedModels(parts.gateway()), toolbox::knows, toolbox.hints(), personas);
            this.chat = new PersonaChat(
                    personas,
                    new PersonaRouter(parts.memory().embedder(), chatSettings.routingThreshold()),
                    sessions,
                    runs,
                    parts.gateway(),
                    new ContextWindow(chatSettings.historyTokens(), 2),
                    toolbox,
                    parts.memory().memories(),
                    extractor,
                    chatSettings.maxSteps(),
                    chatSettings.toolTimeoutMillis());
            this.teams = new TeamRunner(personas, runs, parts.gateway(), settings.teamParallelism());
        } catch (RuntimeException | Error e) {
            opened.closeAfterFailure(e);
            throw e;
        }
    }

    /** A persona names a route alias, or {@code provider/model} of a configured provider, as the gateway resolves it. */
    private static PersonaCheck.Models servedModels(Gateway gateway) {
        return new PersonaCheck.Models() {
            @Override
            public List<String> aliases() {
                return gateway.models();
            }

            @Override
            public boolean serves(String model) {
                int slash = model.indexOf('/');
                return gateway.models().contains(model)
                        || (slash > 0 && gateway.config().current().providers().containsKey(model.substring(0, slash)));
            }
        };
    }

    /** Whether what a persona names (model, tools, personas it reads from) exists. */
    public PersonaCheck personaCheck() {
        return personaCheck;
    }

    public PersonaStore personas() {
        return personas;
    }

    public PersonaFiles personaFiles() {
        return personaFiles;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public RunStore runs() {
        return runs;
    }

    public WebSearch webSearch() {
        return webSearch;
    }

    public DocumentStore documentStore() {
        return documentStore;
    }

    public DocumentService documents() {
        return documents;
    }

    public DocumentSearch documentSearch() {
        return documentSearch;
    }

    public PersonaChat chat() {
        return chat;
    }

    public TeamRunner teams() {
        return teams;
    }

    @Override
    public void close() {
        opened.close();
    }
}

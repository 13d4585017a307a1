package io.orchestra.server.cli;

import io.orchestra.core.auth.Role;
import io.orchestra.core.error.Validation;
import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.CreatedKey;
import io.orchestra.server.auth.KeyGrant;
import io.orchestra.server.auth.KeyRoutes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    private static <T> T withStore(java.util.function.Function<ApiKeyStore, T> action) {
        return CliDatabase.with(db -> action.apply(new ApiKeyStore(db, Clock.systemUTC())));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print its secret once.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "A name people recognise.")
        String name;

        @Option(names = "--role", defaultValue = "member", description = "admin or member (default: member).")
        String role;

        @Option(names = "--owner", description = "Whose data the key reaches (default: the key's own id).")
        String owner;

        @Option(names = "--tag", description = "A tag for conditional routing; repeatable.")
        List<String> tags;

        @Option(
                names = "--model",
                description = "A model the key may use (an alias, provider/model, persona:<id>; a trailing * matches"
                        + " by prefix); repeatable. Default: any.")
        List<String> models;

        @Option(names = "--duration", description = "How long the key works, like 30d, 12h, 90m or 45s.")
        String duration;

        @Option(
                names = "--expires-at",
                description = "When the key stops working, an ISO-8601 instant like 2027-01-31T00:00:00Z.")
        String expiresAt;

        @Override
        public Integer call() {
            // The same rules as POST /api/keys, so a key made here is the key the API would make.
            Validation v = KeyRoutes.validate(name, role, owner, tags);
            KeyGrant grant =
                    KeyRoutes.grant(models == null ? List.of() : models, duration, expiresAt, Instant.now(), v);
            if (!v.ok()) {
                System.err.println("invalid key:\n  - " + String.join("\n  - ", v.errors()));
                return 2;
            }
            CreatedKey created = withStore(store -> store.create(
                    name.trim(), Role.parse(role).orElseThrow(), owner, tags == null ? List.of() : tags, grant));
            System.out.println("created " + created.key().role().wire() + " key "
                    + created.key().id() + " (" + created.key().name() + ")");
            if (!grant.models().isEmpty()) {
                System.out.println("models: " + String.join(", ", grant.models()));
            }
            if (grant.expiresAt() != null) {
                System.out.println("expires: " + grant.expiresAt());
            }
            System.out.println("secret (shown only once): " + created.secret());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Runnable {
        @Override
        public void run() {
            List<ApiKey> keys = withStore(ApiKeyStore::list);
            Instant now = Instant.now();
            System.out.printf(
                    "%-34s %-24s %-7s %-20s %-12s %-32s %-22s %s%n",
                    "ID", "NAME", "ROLE", "OWNER", "PREFIX", "STATUS", "EXPIRES", "MODELS");
            for (ApiKey key : keys) {
                System.out.printf(
                        "%-34s %-24s %-7s %-20s %-12s %-32s %-22s %s%n",
                        key.id(),
                        key.name(),
                        key.role().wire(),
                        key.owner(),
                        key.prefix() + "…",
                        key.revoked()
                                ? "revoked " + key.revokedAt()
                                : key.grant().expired(now) ? "expired" : "active",
                        key.expiresAt() == null ? "never" : key.expiresAt().toString(),
                        key.models().isEmpty() ? "any" : String.join(",", key.models()));
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id.")
    static final class Revoke implements Runnable {
        @Parameters(index = "0", description = "The key id (see 'keys list').")
        String id;

        @Override
        public void run() {
            ApiKey key = withStore(store -> store.revoke(id));
            System.out.println("revoked " + key.id() + " (" + key.name() + ")");
        }
    }
}
